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
import type { ServiceRole } from '../access/access.entity';
import type { ServicesContext } from '../context';

/** R13, R20: the grantee checks services asks identity and mandates, with the caller's token. */
const checksOf = ({ directory, mandates }: ServicesContext) => ({ directory, mandates });

export const Mutation = {
  requestAccess: (_: unknown, { serviceId }: { serviceId: string }, { em, auth }: ServicesContext) =>
    requestAccess(em, requireViewer(auth), serviceId),
  cancelAccessRequest: (_: unknown, { requestId }: { requestId: string }, { em, auth }: ServicesContext) =>
    cancelAccessRequest(em, requireViewer(auth), requestId),
  decideAccessRequest: (
    _: unknown,
    args: { requestId: string; decision: 'GRANT' | 'REFUSE'; reason?: string | null },
    context: ServicesContext,
  ) => decideAccessRequest(context.em, requireViewer(context.auth), checksOf(context), { requestId: args.requestId, grant: args.decision === 'GRANT', reason: args.reason ?? null }),
  nameDeputy: (_: unknown, args: { serviceId: string; userId: string; from: string; until: string }, context: ServicesContext) =>
    nameDeputy(context.em, requireViewer(context.auth), checksOf(context), args),
  revokeAccessRight: (_: unknown, { rightId }: { rightId: string }, { em, auth }: ServicesContext) =>
    revokeAccessRight(em, requireViewer(auth), rightId),
  transferManagerRole: (
    _: unknown,
    args: { serviceId: string; organizationId: string; role: ServiceRole; newUserId: string },
    context: ServicesContext,
  ) => transferManagerRole(context.em, requireViewer(context.auth), checksOf(context), args),
  grantPerformRole: (_: unknown, args: { userId: string; role: ServiceRole }, context: ServicesContext) =>
    grantPerformRole(context.em, requireViewer(context.auth), checksOf(context), args),
  nameMunicipalRespondent: (_: unknown, args: { organizationId: string; userId: string }, context: ServicesContext) =>
    nameMunicipalRespondent(context.em, requireViewer(context.auth), checksOf(context), args),
};
