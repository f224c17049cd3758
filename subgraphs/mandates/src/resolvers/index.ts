import type { Resolvers } from '../generated/resolvers-types';
import { Dossier, DossierForm, DossierStatusChange } from './Dossier';
import { DossierStatisticsGroup, FinancialReportStatisticsGroup, MandateStatisticsGroup } from './statistics';
import { AuditedFinancialReport, FinancialReport, FinancialReportVersion } from './FinancialReport';
import { Mandate } from './Mandate';
import { Mutation } from './Mutation';
import { OnlineService } from './OnlineService';
import { AuditEvent, DisclosureEntry, Organization } from './Organization';
import { Query } from './Query';
import { organizationReportFields, reportMutations, reportQueries } from './report-operations';
import { User } from './User';

export const resolvers: Resolvers = {
  Query: { ...Query, ...reportQueries },
  Mutation: { ...Mutation, ...reportMutations },
  Dossier,
  DossierForm,
  DossierStatusChange,
  DossierStatisticsGroup,
  Mandate,
  MandateStatisticsGroup,
  DisclosureEntry,
  AuditEvent,
  Organization: { ...Organization, ...organizationReportFields },
  OnlineService,
  User,
  FinancialReport,
  FinancialReportStatisticsGroup,
  FinancialReportVersion,
  AuditedFinancialReport,
};
