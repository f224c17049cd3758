import { currentActor } from '../actor';
import type { IdentityContext } from '../context';
import { correctRepertoire, nameRse, type NameRseInput, type PersonInAuthorityInput } from '../repertoire/repertoire.service';
import { changePassword, refreshSession, signIn, signOut } from '../session/session.service';
import type { UserProfile } from '../user/user-input';
import { createUser, reactivateUser, resetTemporaryPassword, suspendUser, updateUserProfile } from '../user/user.service';

export const Mutation = {
  signIn: (_: unknown, args: { clicSequrCode: string; password: string }, { em, services }: IdentityContext) =>
    signIn(em, services, args.clicSequrCode, args.password),

  refreshSession: (_: unknown, args: { refreshToken: string }, { em, services }: IdentityContext) =>
    refreshSession(em, services, args.refreshToken),

  signOut: async (_: unknown, _args: unknown, context: IdentityContext) =>
    signOut(context.em, await currentActor(context, { allowPasswordChange: true })),

  changePassword: async (_: unknown, args: { currentPassword: string; newPassword: string }, context: IdentityContext) => {
    const actor = await currentActor(context, { allowPasswordChange: true });
    return context.em.transactional((tx) => changePassword(tx, context.services, actor, args.currentPassword, args.newPassword));
  },

  createUser: async (_: unknown, { input }: { input: UserProfile & { isRse?: boolean | null } }, context: IdentityContext) =>
    createUser(context.em, await currentActor(context), input, context.services.settings),

  updateUserProfile: async (_: unknown, args: { userId: string; input: UserProfile }, context: IdentityContext) =>
    updateUserProfile(context.em, await currentActor(context), args.userId, args.input),

  resetTemporaryPassword: async (_: unknown, { userId }: { userId: string }, context: IdentityContext) =>
    resetTemporaryPassword(context.em, await currentActor(context), userId, context.services.settings),

  suspendUser: async (_: unknown, args: { userId: string; reason: string }, context: IdentityContext) =>
    suspendUser(context.em, await currentActor(context), args.userId, args.reason),

  reactivateUser: async (_: unknown, { userId }: { userId: string }, context: IdentityContext) =>
    reactivateUser(context.em, await currentActor(context), userId),

  nameRse: async (_: unknown, { input }: { input: NameRseInput }, context: IdentityContext) =>
    nameRse(context.em, await currentActor(context), input, context.services.settings),

  correctRepertoire: async (
    _: unknown,
    args: { organizationId: string; personsInAuthority: PersonInAuthorityInput[] },
    context: IdentityContext,
  ) => correctRepertoire(context.em, await currentActor(context), () => context.rights(), args.organizationId, args.personsInAuthority),
};
