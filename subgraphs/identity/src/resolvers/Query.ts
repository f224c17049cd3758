import { findAuditConnection, isUuid, type PageRequest } from '@pgamr/kit';
import { currentActor } from '../actor';
import type { IdentityContext } from '../context';
import { findMunicipalBodies } from '../organization/organization.repository';
import { ensureMayReadAuditTrail, maySeeUser } from '../policy';

export const Query = {
  me: async (_: unknown, _args: unknown, context: IdentityContext) => (await currentActor(context)).user,

  user: async (_: unknown, { id }: { id: string }, context: IdentityContext) => {
    const actor = await currentActor(context);
    const user = await context.loaders.userById.load(id);
    return user && maySeeUser(actor, user) ? user : null;
  },

  organization: async (_: unknown, { id }: { id: string }, context: IdentityContext) => {
    await currentActor(context);
    return context.loaders.organizationById.load(id);
  },

  municipalBodies: async (_: unknown, page: PageRequest, context: IdentityContext) => {
    await currentActor(context);
    return findMunicipalBodies(context.em, page);
  },

  auditTrail: async (_: unknown, { organizationId, ...page }: PageRequest & { organizationId: string }, context: IdentityContext) => {
    const actor = await currentActor(context);
    const organization = isUuid(organizationId) ? await context.loaders.organizationById.load(organizationId) : null;
    ensureMayReadAuditTrail(actor, organization);
    return findAuditConnection(context.em, { organizationId: organization.id }, page);
  },
};
