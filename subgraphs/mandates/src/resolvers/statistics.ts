import type { DossierStatisticsGroupResolvers, FinancialReportStatisticsGroupResolvers, MandateStatisticsGroupResolvers } from '../generated/resolvers-types';

/** A group's program, organization and MRC are other subgraphs' records: their keys, resolved there. */
export const DossierStatisticsGroup = {
  program: (group) => (group.programId ? { __typename: 'OnlineService', id: group.programId } : null),
  organization: (group) => (group.organizationId ? { __typename: 'Organization', id: group.organizationId } : null),
  mrc: (group) => (group.mrcId ? { __typename: 'Organization', id: group.mrcId } : null),
} satisfies DossierStatisticsGroupResolvers;

/** A group's organization and MRC are identity's records: their keys, resolved there. */
export const FinancialReportStatisticsGroup = {
  organization: (group) => (group.organizationId ? { __typename: 'Organization', id: group.organizationId } : null),
  mrc: (group) => (group.mrcId ? { __typename: 'Organization', id: group.mrcId } : null),
} satisfies FinancialReportStatisticsGroupResolvers;

/** A group's firm and mandating organization are identity's records, its service services': their keys. */
export const MandateStatisticsGroup = {
  firm: (group) => (group.firmId ? { __typename: 'Organization', id: group.firmId } : null),
  service: (group) => (group.serviceId ? { __typename: 'OnlineService', id: group.serviceId } : null),
  organization: (group) => (group.organizationId ? { __typename: 'Organization', id: group.organizationId } : null),
} satisfies MandateStatisticsGroupResolvers;
