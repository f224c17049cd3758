import { findAuditConnection, forbidden, isUuid } from '@pgamr/kit';
import { currentActor } from '../actor';
import { canReadAuditTrail, canSeeUser } from '../authorization';
import type { QueryResolvers } from '../generated/resolvers-types';
import { findMunicipalBodies } from '../organization/organization.repository';

export const Query = {
  me: async (_, _args, context) => (await currentActor(context)).user,

  user: async (_, { id }, context) => {
    const actor = await currentActor(context);
    const user = await context.loaders.userById.load(id);
    return user && canSeeUser(actor, user) ? user : null;
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
    // Same answer for an unknown organization as for one the caller may not read: nothing leaks.
    if (!organization || !canReadAuditTrail(actor, organization)) {
      throw forbidden("Vous n'avez pas accès au journal d'audit de cette organisation.");
    }
    return findAuditConnection(context.em, { organizationId: organization.id }, page);
  },
} satisfies QueryResolvers;
