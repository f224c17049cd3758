import type { IdentityContext } from '../context';

export const Organization = {
  __resolveReference: ({ id }: { id: string }, { loaders }: IdentityContext) => loaders.organizationById.load(id),
};
