import { stableId } from '@pgamr/kit';
import type { AuditRow, FinancialReportRow, FinancialReportVersionRow, OrganizationRow, ReportContent } from './model';
import type { Random } from './random';
import type { OrganizationStaff, PerformStaff } from './rights';
import { DAY_MS, FISCAL_YEARS, Kind, REFERENCE_TIME, serviceId, PERFORM } from './reference';

/** A body's budget per inhabitant relative to a local municipality's (an MRC spends its quotes-parts, not the towns' taxes). */
const SPENDING_FACTOR: Partial<Record<string, number>> = {
  [Kind.Mrc]: 0.06,
  [Kind.IntermunicipalBoard]: 0.08,
  [Kind.MetropolitanCommunity]: 0.03,
};
const MAX_AMOUNT = 999_999_999_999.99;
const dollars = (value: number) => Math.min(MAX_AMOUNT, Math.round(value * 100) / 100);

/** A report's figures while they are drawn: dollars rounded to the cent, as numbers. */
interface DrawnFigures {
  auditedFinancialReport: Record<string, number>;
  otherFinancialInformation: Record<string, number>;
  forecastData: Record<string, number>;
}

const COUNTS = new Set(['population', 'employeeCount']);

/**
 * The figures as mandates stores them: amounts as exact decimal strings (API v1, Money). Every
 * drawn amount is a whole number of cents below 10^12 dollars, which a double holds exactly:
 * toFixed(2) writes it as it is.
 */
function stored(drawn: DrawnFigures): ReportContent {
  const part = (figures: Record<string, number>) =>
    Object.fromEntries(Object.entries(figures).map(([name, value]) => [name, COUNTS.has(name) ? value : value.toFixed(2)]));
  return {
    auditedFinancialReport: part(drawn.auditedFinancialReport) as Record<string, string>,
    otherFinancialInformation: part(drawn.otherFinancialInformation),
    forecastData: part(drawn.forecastData) as Record<string, string>,
  };
}

/** Plausible figures of a body for a year (report-figures.ts), every one filled: growing a little each year. */
function figures(random: Random, organization: OrganizationRow, fiscalYear: number, noise: number): DrawnFigures {
  const people = Math.max(organization.population, 800);
  const factor = SPENDING_FACTOR[organization.kind] ?? 1;
  const growth = Math.pow(1.035, fiscalYear - 2016) * noise * (0.98 + random.next() * 0.04);
  const perCapita = (amount: number) => dollars(people * amount * factor * growth);
  const taxRevenue = perCapita(1_150);
  const transferRevenue = perCapita(160 * (0.7 + random.next() * 0.6));
  const serviceRevenue = perCapita(110 * (0.7 + random.next() * 0.6));
  const otherRevenue = perCapita(55 * (0.5 + random.next()));
  const revenue = taxRevenue + transferRevenue + serviceRevenue + otherRevenue;
  const financingExpenses = perCapita(35 * (0.5 + random.next()));
  const operatingExpenses = dollars(revenue * (0.86 + random.next() * 0.1) - financingExpenses);
  const budgetedRevenue = dollars(revenue * (1.01 + random.next() * 0.04));
  return {
    auditedFinancialReport: {
      taxRevenue,
      transferRevenue,
      serviceRevenue,
      otherRevenue,
      operatingExpenses,
      financingExpenses,
      longTermDebt: perCapita(1_900 * (0.4 + random.next() * 1.2)),
      // An accumulated deficit now and then (a negative surplus).
      accumulatedSurplus: dollars(perCapita(420) * (random.chance(0.03) ? -0.3 : 0.6 + random.next() * 0.8)),
    },
    otherFinancialInformation: {
      population: Math.round(people * Math.pow(1.006, fiscalYear - 2016)),
      uniformAssessment: perCapita(190_000),
      employeeCount: Math.max(2, Math.round((people / 95) * Math.max(factor, 0.05))),
    },
    forecastData: {
      budgetedRevenue,
      // Québec's municipal laws forbid a budget in deficit: expenses never exceed revenue.
      budgetedExpenses: dollars(budgetedRevenue * (0.97 + random.next() * 0.03)),
      plannedCapitalExpenditures: perCapita(300 * (0.3 + random.next() * 1.4)),
    },
  };
}

/** An amendment's correction: a few revenue and expense lines restated. */
function corrected(random: Random, content: DrawnFigures): DrawnFigures {
  const audited = { ...content.auditedFinancialReport };
  audited.otherRevenue = dollars(audited.otherRevenue! * (1 + (random.next() - 0.3) * 0.2));
  audited.operatingExpenses = dollars(audited.operatingExpenses! * (1 + (random.next() - 0.5) * 0.02));
  return { ...content, auditedFinancialReport: audited };
}

type Fate = 'TRANSMITTED' | 'AMENDED_AND_TRANSMITTED' | 'BEING_AMENDED' | 'TWICE_AMENDED';

/** An audit entry's state of a report, as mandates writes it: the status is the working version's stage. */
const marks = (status: FinancialReportRow['status'], version: number, auditedBy: string | null, attestedBy: string | null) => ({ status, version, auditedBy, attestedBy });

/**
 * R18, R19: ten fiscal years of PERFORM reports per municipal body, every year transmitted (a
 * tenth of them late) so that the Sommaire shows ten years of figures; some amended and
 * transmitted again, a few amendments in progress. Each transmission is a frozen version.
 */
export function generateReports(random: Random, organizations: readonly OrganizationRow[], staff: ReadonlyMap<string, OrganizationStaff>) {
  const reports: FinancialReportRow[] = [];
  const versions: FinancialReportVersionRow[] = [];
  const audit: AuditRow[] = [];
  const performId = serviceId(PERFORM);

  for (const organization of organizations) {
    const people = staff.get(organization.id)?.perform;
    if (!organization.municipal || !people) continue;
    const noise = 0.8 + random.next() * 0.4;
    for (const fiscalYear of FISCAL_YEARS) {
      const draw = random.next();
      // Amendments come months after a transmission: the last year has had no time for one.
      const fate: Fate =
        draw < 0.85 || fiscalYear >= 2025
          ? 'TRANSMITTED'
          : draw < 0.95
            ? 'AMENDED_AND_TRANSMITTED'
            : draw < 0.98
              ? fiscalYear >= 2021 ? 'BEING_AMENDED' : 'TRANSMITTED'
              : fiscalYear <= 2022 ? 'TWICE_AMENDED' : 'AMENDED_AND_TRANSMITTED';
      generateReport(random, organization, people, fiscalYear, fate, noise, performId, reports, versions, audit);
    }
  }
  return { reports, versions, audit };
}

function generateReport(
  random: Random,
  organization: OrganizationRow,
  people: PerformStaff,
  fiscalYear: number,
  fate: Fate,
  noise: number,
  performId: string,
  reports: FinancialReportRow[],
  versions: FinancialReportVersionRow[],
  audit: AuditRow[],
): void {
  const key = `${organization.key}:${fiscalYear}`;
  const id = stableId('financial-report', key);
  const preparer = people.preparers[0]!;
  const log = (actor: { id: string; org: OrganizationRow }, action: string, at: number, before: Record<string, unknown> | null, after: Record<string, unknown>) =>
    audit.push({
      id: random.uuid(),
      occurredAt: new Date(at),
      actorUserId: actor.id,
      actorOrganizationId: actor.org.id,
      organizationId: organization.id,
      serviceId: performId,
      action,
      targetType: 'FinancialReport',
      targetId: id,
      before,
      after,
    });

  const yearEnd = Date.parse(`${fiscalYear + 1}-01-01T14:00:00Z`);
  const createdAt = yearEnd + random.int(15, 60) * DAY_MS;
  log(preparer, 'FINANCIAL_REPORT_CREATED', createdAt, null, marks('DRAFT', 1, null, null));
  // Most bodies transmit in April–June; one in ten after the 30 June deadline (R18).
  const late = random.chance(0.1);
  let audited = yearEnd + (late ? random.int(185, 270) : random.int(100, 155)) * DAY_MS + random.int(0, 6 * 3600) * 1000;
  let content = figures(random, organization, fiscalYear, noise);
  const transmissions = fate === 'TRANSMITTED' || fate === 'BEING_AMENDED' ? 1 : fate === 'AMENDED_AND_TRANSMITTED' ? 2 : 3;
  let last = createdAt;
  let firstTransmittedAt = 0;
  let attested = 0;
  for (let version = 1; version <= transmissions; version++) {
    if (version > 1) {
      const amended = Math.min(last + random.int(30, 300) * DAY_MS, REFERENCE_TIME - 40 * DAY_MS);
      log(preparer, 'FINANCIAL_REPORT_AMENDED', amended, marks('TRANSMITTED', version - 1, people.externalAuditor.id, people.signatory.id), marks('DRAFT', version, null, null));
      content = corrected(random, content);
      audited = amended + random.int(3, 12) * DAY_MS;
    }
    attested = audited + random.int(1, 8) * DAY_MS;
    const transmitted = attested + random.int(0, 4) * DAY_MS + random.int(0, 3 * 3600) * 1000;
    log(people.externalAuditor, 'FINANCIAL_REPORT_AUDITED', audited, marks('DRAFT', version, null, null), marks('AUDITED', version, people.externalAuditor.id, null));
    log(people.signatory, 'FINANCIAL_REPORT_ATTESTED', attested, marks('AUDITED', version, people.externalAuditor.id, null), marks('ATTESTED', version, people.externalAuditor.id, people.signatory.id));
    log(people.transmitter, 'FINANCIAL_REPORT_TRANSMITTED', transmitted, marks('ATTESTED', version, people.externalAuditor.id, people.signatory.id), marks('TRANSMITTED', version, people.externalAuditor.id, people.signatory.id));
    versions.push({
      id: stableId('financial-report-version', `${key}:${version}`),
      reportId: id,
      version,
      content: stored(content),
      auditedBy: people.externalAuditor.id,
      attestedBy: people.signatory.id,
      transmittedBy: people.transmitter.id,
      transmittedAt: new Date(transmitted),
    });
    if (version === 1) firstTransmittedAt = transmitted;
    last = transmitted;
  }

  const beingAmended = fate === 'BEING_AMENDED';
  let updatedAt = last;
  if (beingAmended) {
    // R18: a correction under way: a new working version copied from the transmitted one, its audit and attestation to redo.
    updatedAt = Math.min(last + random.int(20, 200) * DAY_MS, REFERENCE_TIME - 2 * DAY_MS);
    log(preparer, 'FINANCIAL_REPORT_AMENDED', updatedAt, marks('TRANSMITTED', transmissions, people.externalAuditor.id, people.signatory.id), marks('DRAFT', transmissions + 1, null, null));
  }
  reports.push({
    id,
    organizationId: organization.id,
    fiscalYear,
    // R18: an amendment under way is a draft of its new version.
    status: beingAmended ? 'DRAFT' : 'TRANSMITTED',
    version: beingAmended ? transmissions + 1 : transmissions,
    content: stored(content),
    auditedBy: beingAmended ? null : people.externalAuditor.id,
    auditedAt: beingAmended ? null : new Date(audited),
    attestedBy: beingAmended ? null : people.signatory.id,
    attestedAt: beingAmended ? null : new Date(attested),
    firstTransmittedAt: new Date(firstTransmittedAt),
    createdBy: preparer.id,
    createdAt: new Date(createdAt),
    updatedAt: new Date(updatedAt),
  });
}
