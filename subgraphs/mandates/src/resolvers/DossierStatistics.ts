import type { DossierStatisticsGroupResolvers } from '../generated/resolvers-types';

/** A group's program and organization are other subgraphs' records: their keys, resolved there. */
export const DossierStatisticsGroup = {
  program: (group) => (group.programId ? { __typename: 'OnlineService', id: group.programId } : null),
  organization: (group) => (group.organizationId ? { __typename: 'Organization', id: group.organizationId } : null),
} satisfies DossierStatisticsGroupResolvers;
