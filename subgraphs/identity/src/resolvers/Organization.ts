import type { PageRequest } from '@pgamr/kit';
import { currentActor } from '../actor';
import type { IdentityContext } from '../context';
import type { Organization as OrganizationEntity } from '../organization/organization.entity';
import { ensureMayListUsers } from '../policy';

export const Organization = {
  __resolveReference: async ({ id }: { id: string }, context: IdentityContext) => {
    await currentActor(context);
    return context.loaders.organizationById.load(id);
  },
  personsInAuthority: (organization: OrganizationEntity, _: unknown, { loaders }: IdentityContext) =>
    loaders.personsInAuthorityByOrganization.load(organization.id),
  /** R2, R20: refused per organization, so the refusal nulls this list only, never the organization. */
  users: async (organization: OrganizationEntity, page: PageRequest, context: IdentityContext) => {
    ensureMayListUsers(await currentActor(context), organization);
    return context.loaders.usersByOrganization.load(organization.id, {}, page);
  },
  hasActiveRse: (organization: OrganizationEntity, _: unknown, context: IdentityContext) =>
    context.loaders.activeRseByOrganization.load(organization.id),
};
