import type { DossierStatisticsGroupResolvers, FinancialReportStatisticsGroupResolvers } from '../generated/resolvers-types';

/** A group's program and organization are other subgraphs' records: their keys, resolved there. */
export const DossierStatisticsGroup = {
  program: (group) => (group.programId ? { __typename: 'OnlineService', id: group.programId } : null),
  organization: (group) => (group.organizationId ? { __typename: 'Organization', id: group.organizationId } : null),
} satisfies DossierStatisticsGroupResolvers;

/** A group's organization is identity's record: its key, resolved there. */
export const FinancialReportStatisticsGroup = {
  organization: (group) => (group.organizationId ? { __typename: 'Organization', id: group.organizationId } : null),
} satisfies FinancialReportStatisticsGroupResolvers;
