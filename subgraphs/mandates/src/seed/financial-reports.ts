import { stableId } from '@pgamr/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { FinancialReport, FinancialReportStatus, FinancialReportVersion } from '../report/financial-report.entity';
import { fromCents, toCents } from '../money';
import { normalizeContent, type ReportContent } from '../report/report-figures';

// Magog's PERFORM people, as identity and services seed them (R13): the preparer, the treasurer
// who signs, the DG who transmits, and the external auditor of a firme de vérificateur.
const PREPARER = stableId('user', 'MAG0000004');
const SIGNATORY = stableId('user', 'MAG0000003');
const TRANSMITTER = stableId('user', 'MAG0000001');
const AUDITOR = stableId('user', 'VCE0000001');

/**
 * Fictitious but plausible figures of a town of about 28,000 people, growing 4 % a year from
 * 2021: exact amounts, each rounded to the cent (half up), as a budget office would.
 */
function magogFigures(fiscalYear: number, correction = '0.00'): ReportContent {
  const percent = BigInt(100 + (fiscalYear - 2021) * 4);
  const grown = (amount: string) => {
    const hundredths = toCents(amount) * percent;
    return fromCents(hundredths / 100n + (hundredths % 100n >= 50n ? 1n : 0n));
  };
  const growth = Number(percent) / 100;
  return {
    auditedFinancialReport: {
      taxRevenue: grown('48615230.55'),
      transferRevenue: grown('6402118.10'),
      serviceRevenue: grown('4880940.00'),
      otherRevenue: grown(fromCents(toCents('2156733.42') + toCents(correction))),
      operatingExpenses: grown('55930412.87'),
      financingExpenses: grown('1845300.00'),
      longTermDebt: grown('71250000.00'),
      accumulatedSurplus: grown('18340512.33'),
    },
    otherFinancialInformation: {
      population: Math.round(27_950 * growth),
      uniformAssessment: grown('5412880400.00'),
      employeeCount: Math.round(318 * growth),
    },
    forecastData: {
      budgetedRevenue: grown('64100000.00'),
      budgetedExpenses: grown('64100000.00'),
      plannedCapitalExpenditures: grown('18750000.00'),
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
 * Magog's reports, one at each stage (R18): 2021 transmitted on time; 2022 first transmitted
 * late then amended and transmitted again; 2023 being amended (its version 2 a draft); 2024
 * audited, awaiting its signature; 2025 a draft half filled.
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
    content: magogFigures(2022, '125000.00'),
    audited: '2023-09-25T15:00:00Z',
    attested: '2023-09-29T14:00:00Z',
    transmissions: [
      { version: 1, at: '2023-07-20T13:00:00Z', content: magogFigures(2022) },
      { version: 2, at: '2023-10-02T13:00:00Z', content: magogFigures(2022, '125000.00') },
    ],
  },
  {
    fiscalYear: 2023,
    status: FinancialReportStatus.Draft,
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
    content: normalizeContent({ auditedFinancialReport: { taxRevenue: '54120884.10', transferRevenue: '7014220.00' } }),
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
