import { currentActor } from '../actor';
import type { MutationResolvers } from '../generated/resolvers-types';
import { correctRepertoire, nameRse } from '../repertoire/repertoire.service';
import { changePassword, refreshSession, signIn, signOut } from '../session/session.service';
import { createUser, reactivateUser, resetTemporaryPassword, suspendUser, updateUserProfile } from '../user/user.service';

// API v1 (issue 14): every mutation takes one `input` and answers a payload naming what it changed.

export const Mutation = {
  signIn: async (_, { input }, { em, services }) => ({
    session: await signIn(em, services, input.clicSequrCode, input.password),
  }),

  refreshSession: async (_, { input }, { em, services }) => ({
    session: await refreshSession(em, services, input.refreshToken),
  }),

  signOut: async (_, _args, context) => ({
    signedOutAt: await signOut(context.em, await currentActor(context, { allowPasswordChange: true }), context.clock.now()),
  }),

  changePassword: async (_, { input }, context) => {
    const actor = await currentActor(context, { allowPasswordChange: true });
    return {
      session: await context.em.transactional((tx) => changePassword(tx, context.services, actor, input.currentPassword, input.newPassword)),
    };
  },

  createUser: async (_, { input }, context) =>
    createUser(context.em, await currentActor(context), input, context.services.settings, context.clock.now()),

  updateUserProfile: async (_, { input: { userId, ...profile } }, context) => ({
    user: await updateUserProfile(context.em, await currentActor(context), userId, profile),
  }),

  resetTemporaryPassword: async (_, { input }, context) =>
    resetTemporaryPassword(context.em, await currentActor(context), input.userId, context.services.settings, context.clock.now()),

  suspendUser: async (_, { input }, context) => ({
    user: await suspendUser(context.em, await currentActor(context), input.userId, input.reason, context.clock.now()),
  }),

  reactivateUser: async (_, { input }, context) => ({
    user: await reactivateUser(context.em, await currentActor(context), input.userId),
  }),

  nameRse: async (_, { input }, context) =>
    nameRse(context.em, await currentActor(context), input, context.services.settings, context.clock.now()),

  correctRepertoire: async (_, { input }, context) => ({
    organization: await correctRepertoire(context.em, await currentActor(context), () => context.rights(), input.organizationId, input.personsInAuthority, {
      administrativeRegion: input.administrativeRegion,
      mrcId: input.mrcId,
    }),
  }),
} satisfies MutationResolvers;
