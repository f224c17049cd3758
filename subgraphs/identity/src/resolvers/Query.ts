import { findAuditConnection, isUuid } from '@pgamr/kit';
import { currentActor } from '../actor';
import type { QueryResolvers } from '../generated/resolvers-types';
import { findMunicipalBodies } from '../organization/organization.repository';
import { ensureMayReadAuditTrail, maySeeUser } from '../policy';

export const Query = {
  me: async (_, _args, context) => (await currentActor(context)).user,

  user: async (_, { id }, context) => {
    const actor = await currentActor(context);
    const user = await context.loaders.userById.load(id);
    return user && maySeeUser(actor, user) ? user : null;
  },

  organization: async (_, { id }, context) => {
    await currentActor(context);
    return context.loaders.organizationById.load(id);
  },

  municipalBodies: async (_, page, context) => {
    await currentActor(context);
    return findMunicipalBodies(context.em, page);
  },

  auditTrail: async (_, { organizationId, ...page }, context) => {
    const actor = await currentActor(context);
    const organization = isUuid(organizationId) ? await context.loaders.organizationById.load(organizationId) : null;
    ensureMayReadAuditTrail(actor, organization);
    return findAuditConnection(context.em, { organizationId: organization.id }, page);
  },
} satisfies QueryResolvers;
