import { requireViewer, type PerformRole } from '@pgamr/kit';
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
import type { ManagerRole } from '../access/access.entity';
import type { ServicesContext } from '../context';

/** R13, R20: the grantee checks services asks identity and mandates, with the caller's token. */
const checksOf = ({ directory, mandates }: ServicesContext) => ({ directory, mandates });

type Input<T> = { input: T };

// One input object each, one payload naming the record changed (API v1). Errors stay in `errors`
// with their code; a refused mutation writes nothing.
export const Mutation = {
  requestAccess: async (_: unknown, { input }: Input<{ serviceId: string }>, { em, auth, clock }: ServicesContext) => ({
    accessRequest: await requestAccess(em, requireViewer(auth), input.serviceId, clock.now()),
  }),
  cancelAccessRequest: async (_: unknown, { input }: Input<{ accessRequestId: string }>, { em, auth, clock }: ServicesContext) => ({
    accessRequest: await cancelAccessRequest(em, requireViewer(auth), input.accessRequestId, clock.now()),
  }),
  decideAccessRequest: async (
    _: unknown,
    { input }: Input<{ accessRequestId: string; decision: 'GRANT' | 'REFUSE'; reason?: string | null }>,
    context: ServicesContext,
  ) => ({
    accessRequest: await decideAccessRequest(context.em, requireViewer(context.auth), checksOf(context), {
      requestId: input.accessRequestId,
      grant: input.decision === 'GRANT',
      reason: input.reason ?? null,
    }, context.clock.now()),
  }),
  nameDeputy: async (_: unknown, { input }: Input<{ serviceId: string; userId: string; from: Date; until: Date }>, context: ServicesContext) => ({
    accessRight: await nameDeputy(context.em, requireViewer(context.auth), checksOf(context), input, context.clock.now()),
  }),
  revokeAccessRight: async (_: unknown, { input }: Input<{ accessRightId: string }>, { em, auth, clock }: ServicesContext) => ({
    accessRight: await revokeAccessRight(em, requireViewer(auth), input.accessRightId, clock.now()),
  }),
  transferManagerRole: async (
    _: unknown,
    { input }: Input<{ serviceId: string; organizationId: string; role: ManagerRole; newUserId: string }>,
    context: ServicesContext,
  ) => ({
    accessRight: await transferManagerRole(context.em, requireViewer(context.auth), checksOf(context), input, context.clock.now()),
  }),
  grantPerformRole: async (_: unknown, { input }: Input<{ userId: string; role: PerformRole }>, context: ServicesContext) => ({
    accessRight: await grantPerformRole(context.em, requireViewer(context.auth), checksOf(context), input, context.clock.now()),
  }),
  nameMunicipalRespondent: async (_: unknown, { input }: Input<{ organizationId: string; userId: string }>, context: ServicesContext) => ({
    accessRight: await nameMunicipalRespondent(context.em, requireViewer(context.auth), checksOf(context), input, context.clock.now()),
  }),
};
