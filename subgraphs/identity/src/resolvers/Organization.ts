import { currentActor } from '../actor';
import type { OrganizationResolvers } from '../generated/resolvers-types';
import { ensureMayListUsers } from '../policy';

export const Organization = {
  __resolveReference: async ({ id }, context) => {
    await currentActor(context);
    return context.loaders.organizationById.load(id);
  },
  /** R5: a Répertoire field like administrativeRegion, read by whoever reads the organization; through the loader. */
  mrc: (organization, _, { loaders }) => (organization.mrc ? loaders.organizationById.load(organization.mrc.id) : null),
  personsInAuthority: (organization, _, { loaders }) =>
    loaders.personsInAuthorityByOrganization.load(organization.id),
  /** R2, R20: refused per organization, so the refusal nulls this list only, never the organization. */
  users: async (organization, page, context) => {
    ensureMayListUsers(await currentActor(context), organization);
    return context.loaders.usersByOrganization.load(organization.id, {}, page);
  },
  hasActiveRse: (organization, _, context) =>
    context.loaders.activeRseByOrganization.load(organization.id),
} satisfies OrganizationResolvers;
