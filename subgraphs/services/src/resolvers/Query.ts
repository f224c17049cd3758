import { findAuditTrail, forbidden, isUuid, notFound, requireViewer } from '@pgamr/kit';
import { AccessRequestKind } from '../access/access.entity';
import { findActiveRightsOn, findPendingRequests, findRequestsOfUser } from '../access/access.repository';
import {
  administersRightsOf,
  canAskWhoManages,
  holdsManagerPowers,
  isLocalManager,
  isMunicipalRespondent,
  isOwnerStaff,
  PERFORM_CODE,
} from '../access/access.rules';
import { ServiceRole } from '../access/access.entity';
import type { ServicesContext } from '../context';
import { findCatalog } from '../online-service/online-service.repository';

async function serviceOrNotFound(context: ServicesContext, id: string) {
  const service = await context.loaders.onlineServiceById.load(id);
  if (!service) throw notFound("Ce service en ligne n'existe pas.");
  return service;
}

const userRef = (id: string) => ({ __typename: 'User', id });

// The catalog is readable by any signed-in user (R7, R22), and by no one else.
export const Query = {
  onlineServices: (_: unknown, _args: unknown, { em, auth }: ServicesContext) => {
    requireViewer(auth);
    return findCatalog(em);
  },
  onlineService: (_: unknown, { id }: { id: string }, { loaders, auth }: ServicesContext) => {
    requireViewer(auth);
    return loaders.onlineServiceById.load(id);
  },

  myAccessRequests: (_: unknown, _args: unknown, { em, auth }: ServicesContext) => findRequestsOfUser(em, requireViewer(auth).userId),

  pendingAccessRequests: async (_: unknown, { serviceId }: { serviceId: string }, context: ServicesContext) => {
    const viewer = requireViewer(context.auth);
    const service = await serviceOrNotFound(context, serviceId);
    const rights = await findActiveRightsOn(context.em, service.id, viewer.organizationId);
    const manages = holdsManagerPowers(rights, viewer, new Date());
    const owns = isOwnerStaff(viewer, service);
    if (!manages && !owns) throw forbidden("Vous ne décidez d'aucune demande d'accès pour ce service.");
    return [
      ...(owns ? await findPendingRequests(context.em, service.id, { kind: AccessRequestKind.LocalManager }) : []),
      ...(manages ? await findPendingRequests(context.em, service.id, { kind: AccessRequestKind.Access, organizationId: viewer.organizationId }) : []),
    ];
  },

  accessRights: async (_: unknown, args: { serviceId: string; organizationId: string }, context: ServicesContext) => {
    const viewer = requireViewer(context.auth);
    const service = await serviceOrNotFound(context, args.serviceId);
    if (!isUuid(args.organizationId)) return [];
    const rights = await findActiveRightsOn(context.em, service.id, args.organizationId);
    const manages = viewer.organizationId === args.organizationId && administersRightsOf(rights, viewer, service, new Date());
    if (!manages && !isOwnerStaff(viewer, service)) {
      throw forbidden("Seuls le gestionnaire local de l'organisation (le répondant municipal pour PERFORM) et la direction propriétaire voient ces droits.");
    }
    return rights;
  },

  /** R12: answered straight to the organization's users and to the owner's staff. */
  localManager: async (_: unknown, args: { serviceId: string; organizationId: string }, context: ServicesContext) => {
    const viewer = requireViewer(context.auth);
    const service = await serviceOrNotFound(context, args.serviceId);
    if (!canAskWhoManages(viewer, service, args.organizationId)) {
      throw forbidden('Seuls les utilisateurs de l’organisation et la direction propriétaire du service peuvent le demander.');
    }
    const rights = isUuid(args.organizationId) ? await findActiveRightsOn(context.em, service.id, args.organizationId) : [];
    const manager = rights.find((right) => right.role === ServiceRole.LocalManager);
    return {
      hasLocalManager: !!manager,
      localManager: manager ? userRef(manager.userId) : null,
      activeDeputies: rights.filter((right) => right.role === ServiceRole.DeputyManager).map((right) => userRef(right.userId)),
    };
  },

  serviceAuditTrail: async (
    _: unknown,
    args: { serviceId: string; organizationId: string; first: number; after?: string | null },
    context: ServicesContext,
  ) => {
    const viewer = requireViewer(context.auth);
    const service = await serviceOrNotFound(context, args.serviceId);
    const rights = isUuid(args.organizationId) ? await findActiveRightsOn(context.em, service.id, args.organizationId) : [];
    const now = new Date();
    // R13, R21: PERFORM's roles are given and taken back by the répondant municipal, who reads their trail.
    const managesIt =
      viewer.organizationId === args.organizationId &&
      (isLocalManager(rights, viewer, now) || (service.code === PERFORM_CODE && isMunicipalRespondent(rights, viewer, now)));
    if (!managesIt && !isOwnerStaff(viewer, service)) {
      throw forbidden("Seuls le gestionnaire local de l'organisation (le répondant municipal pour PERFORM) et la direction propriétaire lisent ce journal.");
    }
    return findAuditTrail(context.em, { serviceId: service.id, organizationId: args.organizationId }, args.first, args.after);
  },
};
