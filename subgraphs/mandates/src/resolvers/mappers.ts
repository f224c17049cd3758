// What this subgraph's resolvers receive as a type's parent, and must return for it: each
// `<Type>Mapper` here replaces the SDL's shape of <Type> in src/generated/resolvers-types.ts
// (`npm run codegen`, scripts/codegen/resolver-types.ts).
import type { AuditEvent, Connection } from '@pgamr/kit';
import type { DisclosureEvent } from '../disclosure/disclosure-event.entity';
import type { DossierStatistics, DossierStatisticsGroup } from '../dossier/dossier-statistics';
import type { Dossier, DossierStatusChange } from '../dossier/dossier.entity';
import type { FinancialReport } from '../report/financial-report.entity';
import type { ReportStatistics, ReportStatisticsGroup } from '../report/report-statistics';
import type { ReportContent } from '../report/report-figures';
import type { Mandate } from '../mandate/mandate.entity';
import type { MandateStatistics, MandateStatisticsGroup } from '../mandate/mandate-statistics';
import type { summaryYear, VersionView } from './FinancialReport';

export { DisclosedRecordType } from '../disclosure/disclosure-event.entity';
export { DossierStatus } from '../dossier/dossier.entity';
export { MandateLevel } from '../mandate/mandate.entity';
export { MandateStatus } from '../mandate/mandate-status';
export { FinancialReportStatus } from '../report/financial-report.entity';

/** A record another subgraph owns: its key, for the router to resolve there. */
type Reference = { id: string };

/** A program's form as its dossier stores it (JSON checked against the program's schema), tagged with its type. */
type StoredForm<T extends string> = Record<string, unknown> & { __typename: T };

export type AuditEventMapper = AuditEvent;
export type AuditEventConnectionMapper = Connection<AuditEvent>;
export type AuditedFinancialReportMapper = ReportContent['auditedFinancialReport'];
export type DisclosureEntryMapper = DisclosureEvent;
export type DisclosureEntryConnectionMapper = Connection<DisclosureEvent>;
export type DossierMapper = Dossier;
export type DossierConnectionMapper = Connection<Dossier>;
export type DossierStatusChangeMapper = DossierStatusChange;
export type DossierStatisticsMapper = DossierStatistics;
export type DossierStatisticsGroupMapper = DossierStatisticsGroup;
export type FinancialReportMapper = FinancialReport;
export type FinancialReportConnectionMapper = Connection<FinancialReport>;
export type FinancialReportStatisticsMapper = ReportStatistics;
export type FinancialReportStatisticsGroupMapper = ReportStatisticsGroup;
export type FinancialReportVersionMapper = VersionView;
export type FinancialReportVersionConnectionMapper = Connection<VersionView>;
export type FinancialSummaryYearMapper = ReturnType<typeof summaryYear>;
export type FinancialSummaryYearConnectionMapper = Connection<FinancialSummaryYearMapper>;
export type CommunityInfrastructureFormMapper = StoredForm<'CommunityInfrastructureForm'>;
export type TecqFormMapper = StoredForm<'TecqForm'>;
export type WaterInfrastructureFormMapper = StoredForm<'WaterInfrastructureForm'>;
export type MandateMapper = Mandate;
export type MandateStatisticsMapper = MandateStatistics;
export type MandateStatisticsGroupMapper = MandateStatisticsGroup;
export type MandateConnectionMapper = Connection<Mandate>;
export type OnlineServiceMapper = Reference;
export type OrganizationMapper = Reference;
export type UserMapper = Reference;
