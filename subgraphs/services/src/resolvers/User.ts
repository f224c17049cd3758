import { requireViewer, type ServiceRole } from '@pgamr/kit';
import { isActive } from '../access/access.entity';
import type { UserResolvers } from '../generated/resolvers-types';
import { SECTOR_NAMES, type OnlineService, type SectorCode } from '../online-service/online-service.entity';
import { ensureMayListOwnServices, rightCounts } from '../policy';

export const User = {
  /** Deny by default: only a signed-in caller gets a reference resolved, whatever the id. */
  __resolveReference: ({ id }, { auth }) => {
    requireViewer(auth);
    return { id };
  },

  /**
   * R9: « Mes services en ligne », by sector, with the user's roles; the user's own only (null,
   * refused, for anyone else). A plain list, not a page: it is grouped by sector and bounded by
   * the rights the user holds now (one entry per service and organization).
   */
  onlineServices: async ({ id }, _, context) => {
    const viewer = requireViewer(context.auth);
    ensureMayListOwnServices(viewer, id);
    const now = context.clock.now();
    // R13, R20: the rights the decision point counts, no others (see rightCounts).
    const rights = (await context.loaders.activeRightsOfUser.load(id)).filter((right) => isActive(right, now) && rightCounts(viewer, right));
    const entries = new Map<string, { service: OnlineService; organizationId: string; roles: ServiceRole[] }>();
    for (const right of rights) {
      // Read with the rights, in the same statement (findActiveRightsOfUsers).
      const service = right.service.getEntity();
      const key = `${service.id}|${right.organizationId}`;
      const entry = entries.get(key) ?? { service, organizationId: right.organizationId, roles: [] };
      entry.roles.push(right.role);
      entries.set(key, entry);
    }
    const sectors = new Map<SectorCode, Array<{ service: OnlineService; organization: { __typename: string; id: string }; roles: ServiceRole[] }>>();
    for (const entry of [...entries.values()].sort((a, b) => a.service.code.localeCompare(b.service.code))) {
      const list = sectors.get(entry.service.sector) ?? [];
      list.push({ service: entry.service, organization: { __typename: 'Organization', id: entry.organizationId }, roles: entry.roles });
      sectors.set(entry.service.sector, list);
    }
    return [...sectors.entries()]
      .sort(([a], [b]) => SECTOR_NAMES[a].localeCompare(SECTOR_NAMES[b]))
      .map(([code, services]) => ({ sector: { code, name: SECTOR_NAMES[code] }, services }));
  },
} satisfies UserResolvers;
