import { checkPageRequest, emptyPage, findAuditConnection, isUuid, notFound, requireViewer, ServiceRole } from '@pgamr/kit';
import { accessRequestStatistics } from '../access/access-request-statistics';
import { findActiveRightPage, findActiveRightsOn, findPendingRequestPage, findRequestPageOfUser, findStatisticsReaderScope } from '../access/access.repository';
import type { ServicesContext } from '../context';
import type { QueryResolvers } from '../generated/resolvers-types';
import { findCatalogPage } from '../online-service/online-service.repository';
import { administeredDirection, ensureDecidesRequestsOn, ensureMayAskWhoManages, ensureMayListRights, ensureMayReadAccessRequestStatistics, ensureMayReadServiceTrail } from '../policy';
import type { LocalManagerAnswerSource } from './LocalManagerAnswer';

async function serviceOrNotFound(context: ServicesContext, id: string) {
  const service = await context.loaders.onlineServiceById.load(id);
  if (!service) throw notFound("Ce service en ligne n'existe pas.");
  return service;
}

type OnOrganization = { serviceId: string; organizationId: string };

/**
 * The caller's own rights in force on (service, organization): what decides whether they manage
 * it. Only theirs are read, whatever the size of the organization.
 */
const viewerRightsOn = (context: ServicesContext, serviceId: string, organizationId: string, userId: string, now: Date) =>
  isUuid(organizationId) ? findActiveRightsOn(context.em, serviceId, organizationId, { userId, now }) : Promise.resolve([]);

// Every list is a page read in SQL (kit findPage): `first` and `after` are checked there.
export const Query = {
  // R7, R22: the catalog is readable by any signed-in user, and by no one else.
  onlineServices: (_, page, { em, auth }) => {
    requireViewer(auth);
    return findCatalogPage(em, page);
  },
  onlineService: (_, { id }, { loaders, auth }) => {
    requireViewer(auth);
    return loaders.onlineServiceById.load(id);
  },

  myAccessRequests: (_, page, { em, auth }) => findRequestPageOfUser(em, requireViewer(auth).userId, page),

  /** R8, R10: the owner's staff decide requests to become local manager; the organization's managers its other requests. */
  pendingAccessRequests: async (_, { serviceId, ...page }, context) => {
    const viewer = requireViewer(context.auth);
    const service = await serviceOrNotFound(context, serviceId);
    const now = context.clock.now();
    const rights = await viewerRightsOn(context, service.id, viewer.organizationId, viewer.userId, now);
    const scopes = ensureDecidesRequestsOn(viewer, service, rights, now);
    return findPendingRequestPage(context.em, service.id, scopes, page);
  },

  accessRights: async (_, { serviceId, organizationId, ...page }, context) => {
    const viewer = requireViewer(context.auth);
    const service = await serviceOrNotFound(context, serviceId);
    if (!isUuid(organizationId)) {
      checkPageRequest(page);
      return emptyPage();
    }
    const now = context.clock.now();
    const rights = await viewerRightsOn(context, service.id, organizationId, viewer.userId, now);
    ensureMayListRights(viewer, service, organizationId, rights, now);
    return findActiveRightPage(context.em, service.id, organizationId, page, now);
  },

  /** R12: answered straight to the organization's users and to the owner's staff. */
  localManager: async (_: unknown, args: OnOrganization, context: ServicesContext): Promise<LocalManagerAnswerSource> => {
    const viewer = requireViewer(context.auth);
    const service = await serviceOrNotFound(context, args.serviceId);
    ensureMayAskWhoManages(viewer, service, args.organizationId);
    // At most one local manager in force per (service, organization): a database rule (R8).
    const [manager] = isUuid(args.organizationId)
      ? await findActiveRightsOn(context.em, service.id, args.organizationId, { role: ServiceRole.LocalManager, now: context.clock.now() })
      : [];
    return {
      hasLocalManager: !!manager,
      localManager: manager ? { __typename: 'User', id: manager.userId } : null,
      serviceId: service.id,
      organizationId: args.organizationId,
    };
  },

  serviceAuditTrail: async (_, { serviceId, organizationId, ...page }, context) => {
    const viewer = requireViewer(context.auth);
    const service = await serviceOrNotFound(context, serviceId);
    const now = context.clock.now();
    const rights = await viewerRightsOn(context, service.id, organizationId, viewer.userId, now);
    ensureMayReadServiceTrail(viewer, service, organizationId, rights, now);
    if (!isUuid(organizationId)) {
      checkPageRequest(page);
      return emptyPage();
    }
    return findAuditConnection(context.em, { serviceId: service.id, organizationId }, page);
  },

  /** Issue 18: figures over the pending requests the reader could list, never beyond (R8, R10, R20). */
  accessRequestStatistics: async (_, { groupBy, filter }, context) => {
    const viewer = requireViewer(context.auth);
    const now = context.clock.now();
    // One statement: the services the caller's direction owns, and which ones they manage for
    // their organization; the groups' services come from it, not from another statement.
    const scope = await findStatisticsReaderScope(context.em, viewer, administeredDirection(viewer), now);
    for (const service of scope.services) context.loaders.onlineServiceById.prime(service.id, service);
    const readable = ensureMayReadAccessRequestStatistics(viewer, scope.ownRights, scope.administeredServiceIds, now);
    return accessRequestStatistics(context.em, readable, groupBy, filter ?? {}, now);
  },
} satisfies QueryResolvers;
