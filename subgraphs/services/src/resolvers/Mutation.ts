import { requireViewer } from '@pgamr/kit';
import {
  cancelAccessRequest,
  decideAccessRequest,
  grantPerformRole,
  nameDeputy,
  nameMunicipalRespondent,
  requestAccess,
  revokeAccessRight,
  transferManagerRole,
} from '../access/access.service';
import type { ServicesContext } from '../context';
import type { MutationResolvers } from '../generated/resolvers-types';

/** R13, R20: the grantee checks services asks identity and mandates, with the caller's token. */
const checksOf = ({ directory, mandates }: ServicesContext) => ({ directory, mandates });

// One input object each, one payload naming the record changed (API v1). Errors stay in `errors`
// with their code; a refused mutation writes nothing.
export const Mutation = {
  requestAccess: async (_, { input }, { em, auth, clock }) => ({
    accessRequest: await requestAccess(em, requireViewer(auth), input.serviceId, clock.now()),
  }),
  cancelAccessRequest: async (_, { input }, { em, auth, clock }) => ({
    accessRequest: await cancelAccessRequest(em, requireViewer(auth), input.accessRequestId, clock.now()),
  }),
  decideAccessRequest: async (_, { input }, context) => ({
    accessRequest: await decideAccessRequest(context.em, requireViewer(context.auth), checksOf(context), {
      requestId: input.accessRequestId,
      grant: input.decision === 'GRANT',
      reason: input.reason ?? null,
    }, context.clock.now()),
  }),
  nameDeputy: async (_, { input }, context) => ({
    accessRight: await nameDeputy(context.em, requireViewer(context.auth), checksOf(context), input, context.clock.now()),
  }),
  revokeAccessRight: async (_, { input }, { em, auth, clock }) => ({
    accessRight: await revokeAccessRight(em, requireViewer(auth), input.accessRightId, clock.now()),
  }),
  transferManagerRole: async (_, { input }, context) => ({
    accessRight: await transferManagerRole(context.em, requireViewer(context.auth), checksOf(context), input, context.clock.now()),
  }),
  grantPerformRole: async (_, { input }, context) => ({
    accessRight: await grantPerformRole(context.em, requireViewer(context.auth), checksOf(context), input, context.clock.now()),
  }),
  nameMunicipalRespondent: async (_, { input }, context) => ({
    accessRight: await nameMunicipalRespondent(context.em, requireViewer(context.auth), checksOf(context), input, context.clock.now()),
  }),
} satisfies MutationResolvers;
