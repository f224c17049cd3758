import { forbidden } from '@pgamr/kit';
import { currentActor } from '../actor';
import { canListUsers } from '../authorization';
import type { OrganizationResolvers } from '../generated/resolvers-types';

export const Organization = {
  __resolveReference: async ({ id }, context) => {
    await currentActor(context);
    return context.loaders.organizationById.load(id);
  },
  personsInAuthority: (organization, _, { loaders }) =>
    loaders.personsInAuthorityByOrganization.load(organization.id),
  /** R2, R20: refused per organization, so the refusal nulls this list only, never the organization. */
  users: async (organization, page, context) => {
    const actor = await currentActor(context);
    if (!canListUsers(actor, organization)) {
      throw forbidden("Seuls les RSÉ de l'organisation et le personnel autorisé voient la liste de ses utilisateurs.");
    }
    return context.loaders.usersByOrganization.load(organization.id, {}, page);
  },
  hasActiveRse: (organization, _, context) =>
    context.loaders.activeRseByOrganization.load(organization.id),
} satisfies OrganizationResolvers;
