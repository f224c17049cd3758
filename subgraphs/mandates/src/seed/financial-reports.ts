import { stableId } from '@pgamr/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { FinancialReport, FinancialReportStatus, FinancialReportVersion } from '../report/financial-report.entity';
import { normalizeContent, type ReportContent } from '../report/report-figures';

// Magog's PERFORM people, as identity and services seed them (R13): the preparer, the treasurer
// who signs, the DG who transmits, and the external auditor of a firme de vérificateur.
const PREPARER = stableId('user', 'MAG0000004');
const SIGNATORY = stableId('user', 'MAG0000003');
const TRANSMITTER = stableId('user', 'MAG0000001');
const AUDITOR = stableId('user', 'VCE0000001');

/** Fictitious but plausible figures of a town of about 28,000 people, growing a little each year. */
function magogFigures(fiscalYear: number, correction = 0): ReportContent {
  const growth = 1 + (fiscalYear - 2021) * 0.04;
  const dollars = (amount: number) => Math.round(amount * growth * 100) / 100;
  return {
    auditedFinancialReport: {
      taxRevenue: dollars(48_615_230.55),
      transferRevenue: dollars(6_402_118.1),
      serviceRevenue: dollars(4_880_940.0),
      otherRevenue: dollars(2_156_733.42 + correction),
      operatingExpenses: dollars(55_930_412.87),
      financingExpenses: dollars(1_845_300.0),
      longTermDebt: dollars(71_250_000.0),
      accumulatedSurplus: dollars(18_340_512.33),
    },
    otherFinancialInformation: {
      population: Math.round(27_950 * growth),
      uniformAssessment: dollars(5_412_880_400.0),
      employeeCount: Math.round(318 * growth),
    },
    forecastData: {
      budgetedRevenue: dollars(64_100_000.0),
      budgetedExpenses: dollars(64_100_000.0),
      plannedCapitalExpenditures: dollars(18_750_000.0),
    },
  };
}

interface DemoTransmission {
  version: number;
  at: string;
  content: ReportContent;
}

interface DemoReport {
  fiscalYear: number;
  status: FinancialReportStatus;
  version: number;
  content: ReportContent;
  audited?: string;
  attested?: string;
  transmissions: DemoTransmission[];
}

/**
 * Magog's reports, one in each status (R18): 2021 transmitted on time; 2022 first transmitted
 * late then amended and transmitted again; 2023 being amended; 2024 audited, awaiting its
 * signature; 2025 a draft half filled.
 */
const MAGOG_REPORTS: readonly DemoReport[] = [
  {
    fiscalYear: 2021,
    status: FinancialReportStatus.Transmitted,
    version: 1,
    content: magogFigures(2021),
    audited: '2022-04-28T15:00:00Z',
    attested: '2022-05-10T14:00:00Z',
    transmissions: [{ version: 1, at: '2022-05-12T16:30:00Z', content: magogFigures(2021) }],
  },
  {
    fiscalYear: 2022,
    status: FinancialReportStatus.Transmitted,
    version: 2,
    content: magogFigures(2022, 125_000),
    audited: '2023-09-25T15:00:00Z',
    attested: '2023-09-29T14:00:00Z',
    transmissions: [
      { version: 1, at: '2023-07-20T13:00:00Z', content: magogFigures(2022) },
      { version: 2, at: '2023-10-02T13:00:00Z', content: magogFigures(2022, 125_000) },
    ],
  },
  {
    fiscalYear: 2023,
    status: FinancialReportStatus.Amended,
    version: 2,
    content: magogFigures(2023),
    transmissions: [{ version: 1, at: '2024-06-14T18:00:00Z', content: magogFigures(2023) }],
  },
  {
    fiscalYear: 2024,
    status: FinancialReportStatus.Audited,
    version: 1,
    content: magogFigures(2024),
    audited: '2025-05-30T15:00:00Z',
    transmissions: [],
  },
  {
    fiscalYear: 2025,
    status: FinancialReportStatus.Draft,
    version: 1,
    content: normalizeContent({ auditedFinancialReport: { taxRevenue: 54_120_884.1, transferRevenue: 7_014_220.0 } }),
    transmissions: [],
  },
];

const MAGOG = 'MUN-45072';

/** Inserts the demo financial reports and their transmitted versions that are missing; never overwrites. */
export async function seedFinancialReportsDemoData(em: EntityManager): Promise<void> {
  const ignoreExisting = { onConflictFields: ['id' as const], onConflictAction: 'ignore' as const };
  const reportId = (fiscalYear: number) => stableId('financial-report', `${MAGOG}:${fiscalYear}`);
  await em.upsertMany(
    FinancialReport,
    MAGOG_REPORTS.map((report) => ({
      id: reportId(report.fiscalYear),
      organizationId: stableId('organization', MAGOG),
      fiscalYear: report.fiscalYear,
      status: report.status,
      version: report.version,
      content: report.content,
      auditedBy: report.audited ? AUDITOR : null,
      auditedAt: report.audited ? new Date(report.audited) : null,
      attestedBy: report.attested ? SIGNATORY : null,
      attestedAt: report.attested ? new Date(report.attested) : null,
      firstTransmittedAt: report.transmissions[0] ? new Date(report.transmissions[0].at) : null,
      createdBy: PREPARER,
      createdAt: new Date(`${report.fiscalYear + 1}-02-01T14:00:00Z`),
      updatedAt: new Date(report.transmissions.at(-1)?.at ?? `${report.fiscalYear + 1}-03-01T14:00:00Z`),
    })),
    ignoreExisting,
  );
  await em.upsertMany(
    FinancialReportVersion,
    MAGOG_REPORTS.flatMap((report) =>
      report.transmissions.map((transmission) => ({
        id: stableId('financial-report-version', `${MAGOG}:${report.fiscalYear}:${transmission.version}`),
        report: reportId(report.fiscalYear),
        version: transmission.version,
        content: transmission.content,
        auditedBy: AUDITOR,
        attestedBy: SIGNATORY,
        transmittedBy: TRANSMITTER,
        transmittedAt: new Date(transmission.at),
      })),
    ),
    ignoreExisting,
  );
}
