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

export const Mutation = {
  requestAccess: (_: unknown, { serviceId }: { serviceId: string }, { em, auth }: ServicesContext) =>
    requestAccess(em, requireViewer(auth), serviceId),
  cancelAccessRequest: (_: unknown, { requestId }: { requestId: string }, { em, auth }: ServicesContext) =>
    cancelAccessRequest(em, requireViewer(auth), requestId),
  decideAccessRequest: (
    _: unknown,
    args: { requestId: string; decision: 'GRANT' | 'REFUSE'; reason?: string | null },
    { em, auth }: ServicesContext,
  ) => decideAccessRequest(em, requireViewer(auth), { requestId: args.requestId, grant: args.decision === 'GRANT', reason: args.reason ?? null }),
  nameDeputy: (_: unknown, args: { serviceId: string; userId: string; from: string; until: string }, { em, auth }: ServicesContext) =>
    nameDeputy(em, requireViewer(auth), args),
  revokeAccessRight: (_: unknown, { rightId }: { rightId: string }, { em, auth }: ServicesContext) =>
    revokeAccessRight(em, requireViewer(auth), rightId),
  transferManagerRole: (
    _: unknown,
    args: { serviceId: string; organizationId: string; role: ServiceRole; newUserId: string },
    { em, auth }: ServicesContext,
  ) => transferManagerRole(em, requireViewer(auth), args),
  grantPerformRole: (_: unknown, args: { userId: string; role: ServiceRole }, { em, auth }: ServicesContext) =>
    grantPerformRole(em, requireViewer(auth), args),
  nameMunicipalRespondent: (_: unknown, args: { organizationId: string; userId: string }, { em, auth }: ServicesContext) =>
    nameMunicipalRespondent(em, requireViewer(auth), args),
};
