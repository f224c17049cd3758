import type { AccessRequestStatisticsGroupResolvers } from '../generated/resolvers-types';

/** A group's service is this subgraph's (through the request's loader); its organization is identity's key, resolved there. */
export const AccessRequestStatisticsGroup = {
  service: (group, _, { loaders }) => (group.serviceId ? loaders.onlineServiceById.load(group.serviceId) : null),
  organization: (group) => (group.organizationId ? { id: group.organizationId } : null),
} satisfies AccessRequestStatisticsGroupResolvers;
