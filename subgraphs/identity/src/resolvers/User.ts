import type { IdentityContext } from '../context';
import type { User as UserEntity } from '../user/user.entity';

export const User = {
  __resolveReference: ({ id }: { id: string }, { loaders }: IdentityContext) => loaders.userById.load(id),
  organization: (user: UserEntity, _: unknown, { loaders }: IdentityContext) =>
    loaders.organizationById.load(user.organization.id),
};
