import { forbidden, type PageRequest } from '@pgamr/kit';
import { currentActor } from '../actor';
import { canListUsers } from '../authorization';
import type { IdentityContext } from '../context';
import type { Organization as OrganizationEntity } from '../organization/organization.entity';

export const Organization = {
  __resolveReference: async ({ id }: { id: string }, context: IdentityContext) => {
    await currentActor(context);
    return context.loaders.organizationById.load(id);
  },
  personsInAuthority: (organization: OrganizationEntity, _: unknown, { loaders }: IdentityContext) =>
    loaders.personsInAuthorityByOrganization.load(organization.id),
  /** R2, R20: refused per organization, so the refusal nulls this list only, never the organization. */
  users: async (organization: OrganizationEntity, page: PageRequest, context: IdentityContext) => {
    const actor = await currentActor(context);
    if (!canListUsers(actor, organization)) {
      throw forbidden("Seuls les RSÉ de l'organisation et le personnel autorisé voient la liste de ses utilisateurs.");
    }
    return context.loaders.usersByOrganization.load(organization.id, {}, page);
  },
  hasActiveRse: (organization: OrganizationEntity, _: unknown, context: IdentityContext) =>
    context.loaders.activeRseByOrganization.load(organization.id),
};
