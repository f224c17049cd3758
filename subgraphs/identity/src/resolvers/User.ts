import { currentActor } from '../actor';
import type { IdentityContext } from '../context';
import { ensureMaySeeUserDetails, maySeeUser } from '../policy';
import type { User as UserEntity } from '../user/user.entity';

/** Contact details and status follow maySeeUserDetails; a refused field is null with its error. */
const detail =
  <K extends keyof UserEntity>(field: K) =>
  async (user: UserEntity, _: unknown, context: IdentityContext) => {
    const actor = await currentActor(context);
    const organization = await context.loaders.organizationById.load(user.organization.id);
    ensureMaySeeUserDetails(actor, user, organization);
    return user[field] ?? null;
  };

export const User = {
  /** R20: a user another organization cannot see resolves to null, as if absent. */
  __resolveReference: async ({ id }: { id: string }, context: IdentityContext) => {
    const actor = await currentActor(context);
    const user = await context.loaders.userById.load(id);
    return user && maySeeUser(actor, user) ? user : null;
  },
  organization: (user: UserEntity, _: unknown, { loaders }: IdentityContext) => loaders.organizationById.load(user.organization.id),
  clicSequrCode: detail('clicSequrCode'),
  email: detail('email'),
  phone: detail('phone'),
  status: detail('status'),
  isRse: detail('isRse'),
  direction: detail('direction'),
};
