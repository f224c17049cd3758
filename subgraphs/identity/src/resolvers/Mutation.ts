import { currentActor } from '../actor';
import type { IdentityContext } from '../context';
import { correctRepertoire, nameRse, type NameRseInput, type PersonInAuthorityInput } from '../repertoire/repertoire.service';
import { changePassword, refreshSession, signIn, signOut } from '../session/session.service';
import type { UserProfile } from '../user/user-input';
import { createUser, reactivateUser, resetTemporaryPassword, suspendUser, updateUserProfile } from '../user/user.service';

// API v1 (issue 14): every mutation takes one `input` and answers a payload naming what it changed.

interface UserInput {
  userId: string;
}

export const Mutation = {
  signIn: async (_: unknown, { input }: { input: { clicSequrCode: string; password: string } }, { em, services }: IdentityContext) => ({
    session: await signIn(em, services, input.clicSequrCode, input.password),
  }),

  refreshSession: async (_: unknown, { input }: { input: { refreshToken: string } }, { em, services }: IdentityContext) => ({
    session: await refreshSession(em, services, input.refreshToken),
  }),

  signOut: async (_: unknown, _args: unknown, context: IdentityContext) => ({
    signedOutAt: await signOut(context.em, await currentActor(context, { allowPasswordChange: true }), context.clock.now()),
  }),

  changePassword: async (_: unknown, { input }: { input: { currentPassword: string; newPassword: string } }, context: IdentityContext) => {
    const actor = await currentActor(context, { allowPasswordChange: true });
    return {
      session: await context.em.transactional((tx) => changePassword(tx, context.services, actor, input.currentPassword, input.newPassword)),
    };
  },

  createUser: async (_: unknown, { input }: { input: UserProfile & { isRse?: boolean | null } }, context: IdentityContext) =>
    createUser(context.em, await currentActor(context), input, context.services.settings, context.clock.now()),

  updateUserProfile: async (_: unknown, { input: { userId, ...profile } }: { input: UserInput & UserProfile }, context: IdentityContext) => ({
    user: await updateUserProfile(context.em, await currentActor(context), userId, profile),
  }),

  resetTemporaryPassword: async (_: unknown, { input }: { input: UserInput }, context: IdentityContext) =>
    resetTemporaryPassword(context.em, await currentActor(context), input.userId, context.services.settings, context.clock.now()),

  suspendUser: async (_: unknown, { input }: { input: UserInput & { reason: string } }, context: IdentityContext) => ({
    user: await suspendUser(context.em, await currentActor(context), input.userId, input.reason, context.clock.now()),
  }),

  reactivateUser: async (_: unknown, { input }: { input: UserInput }, context: IdentityContext) => ({
    user: await reactivateUser(context.em, await currentActor(context), input.userId),
  }),

  nameRse: async (_: unknown, { input }: { input: NameRseInput }, context: IdentityContext) =>
    nameRse(context.em, await currentActor(context), input, context.services.settings, context.clock.now()),

  correctRepertoire: async (
    _: unknown,
    { input }: { input: { organizationId: string; personsInAuthority: PersonInAuthorityInput[] } },
    context: IdentityContext,
  ) => ({
    organization: await correctRepertoire(context.em, await currentActor(context), () => context.rights(), input.organizationId, input.personsInAuthority),
  }),
};
