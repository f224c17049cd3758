import type { UserStatisticsGroupResolvers } from '../generated/resolvers-types';

/** A group's organization and MRC, through the request's loader (one query for all the groups). */
export const UserStatisticsGroup = {
  organization: (group, _, { loaders }) => (group.organizationId ? loaders.organizationById.load(group.organizationId) : null),
  mrc: (group, _, { loaders }) => (group.mrcId ? loaders.organizationById.load(group.mrcId) : null),
} satisfies UserStatisticsGroupResolvers;
