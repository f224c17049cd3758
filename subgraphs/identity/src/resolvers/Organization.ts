import { forbidden } from '@pgamr/kit';
import { currentActor } from '../actor';
import { canListUsers } from '../authorization';
import type { IdentityContext } from '../context';
import type { Organization as OrganizationEntity } from '../organization/organization.entity';
import { UserStatus } from '../user/user.entity';

export const Organization = {
  __resolveReference: async ({ id }: { id: string }, context: IdentityContext) => {
    await currentActor(context);
    return context.loaders.organizationById.load(id);
  },
  personsInAuthority: (organization: OrganizationEntity, _: unknown, { loaders }: IdentityContext) =>
    loaders.personsInAuthorityByOrganization.load(organization.id),
  users: async (organization: OrganizationEntity, _: unknown, context: IdentityContext) => {
    const actor = await currentActor(context);
    if (!canListUsers(actor, organization)) {
      throw forbidden("Seuls les RSÉ de l'organisation et le personnel autorisé voient la liste de ses utilisateurs.");
    }
    return context.loaders.usersByOrganization.load(organization.id);
  },
  hasActiveRse: async (organization: OrganizationEntity, _: unknown, context: IdentityContext) => {
    const users = await context.loaders.usersByOrganization.load(organization.id);
    return users.some((user) => user.isRse && user.status === UserStatus.Active);
  },
};
