import { findAuditConnection, isUuid } from '@pgamr/kit';
import { currentActor } from '../actor';
import type { QueryResolvers } from '../generated/resolvers-types';
import { findMunicipalBodies } from '../organization/organization.repository';
import { ensureMayReadAuditTrail, ensureMayReadUserStatistics, maySeeUser } from '../policy';
import { userStatistics } from '../user/user-statistics';

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

  /** Issue 18: figures over the users the reader could list, never beyond (R2, R20). */
  userStatistics: async (_, { groupBy, filter }, context) => {
    const readable = ensureMayReadUserStatistics(await currentActor(context));
    return userStatistics(context.em, readable, groupBy, filter ?? {});
  },
} satisfies QueryResolvers;
