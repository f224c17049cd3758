import { ServiceCode, stableId } from '@pgamr/kit';
import { execute } from './support/graphql';
import { bearer, signIn } from './support/session';
import { startStack, type Stack } from './support/stack';

// Issue 18: figures across the portal's dossiers, through the gateway, for each kind of reader,
// checked against the same figures worked out here from the rows themselves (R15, R20).

let stack: Stack;
type Headers = Record<string, string>;

const ORGANIZATIONS = ['MUN-45072', 'MUN-43027', 'MUN-23027', 'MUN-25213'].map((key) => stableId('organization', key));
const [MAGOG, SHERBROOKE] = ORGANIZATIONS as [string, string];
const PROGRAMS = [ServiceCode.Tecq, ServiceCode.Primeau, ServiceCode.Fimeau, ServiceCode.Pracim, ServiceCode.Recim, ServiceCode.Prabam].map((code) =>
  stableId('online-service', code),
);
const [TECQ, , , , RECIM] = PROGRAMS as [string, string, string, string, string, string];
const STATUSES = ['DRAFT', 'SUBMITTED', 'IN_REVIEW', 'ACCEPTED', 'REFUSED'] as const;
const GENERATED = 400;

const STATISTICS = `query Statistics($groupBy: [DossierStatisticsDimension!]!, $filter: DossierStatisticsFilter) {
  dossierStatistics(groupBy: $groupBy, filter: $filter) {
    groups { program { id } status organization { id } submissionYear submissionMonth dossierCount requestedAmount acceptedAmount medianDaysInReview }
    total { dossierCount requestedAmount acceptedAmount medianDaysInReview }
  }
}`;

interface Figures {
  dossierCount: number;
  requestedAmount: string;
  acceptedAmount: string;
  medianDaysInReview: number | null;
}

/** A dossier as the figures see it: its columns and the instants of its history. */
interface DossierFacts {
  organizationId: string;
  serviceId: string;
  status: string;
  cents: bigint;
  submittedAt: Date | null;
  reviewStartedAt: Date | null;
  decidedAt: Date | null;
}

const gateway = (variables: Record<string, unknown>, headers: Headers) => execute<any>(stack.gatewayUrl, STATISTICS, variables, headers);
const as = async (code: string) => bearer(await signIn(stack.gatewayUrl, code));
const codeOf = (response: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => response.errors?.[0]?.extensions?.code;
const sql = (query: string, params: unknown[] = []) =>
  stack.subgraphs.mandates.database.orm.em.getConnection().execute<Array<Record<string, unknown>>>(query, params);

/**
 * Dossiers of four municipalities in the six DGI programs at every status, submitted, put in review
 * and decided over 2025 and 2026, with amounts to the cent: the generated data the figures are
 * checked on, beside the demo dossiers.
 */
async function generateDossiers(): Promise<void> {
  const creator = stableId('user', 'MAG0000001');
  await sql(
    `insert into dossier (id, organization_id, service_id, title, requested_amount, status, form, created_by, created_at, updated_at)
     select md5('statistics-' || i)::uuid, (?::uuid[])[1 + i % 4], (?::uuid[])[1 + (i / 4) % 6], 'Dossier chiffré ' || i,
            (1000 + (i * 7919) % 500000) + (i % 100) / 100.0, (?::text[])[1 + (i / 24) % 5], '{}'::jsonb, ?::uuid,
            timestamptz '2025-01-06 09:00-05' + i * interval '41 hours', timestamptz '2025-01-06 09:00-05' + i * interval '41 hours'
       from generate_series(1, ${GENERATED}) i`,
    [`{${ORGANIZATIONS.join(',')}}`, `{${PROGRAMS.join(',')}}`, `{${STATUSES.join(',')}}`, creator],
  );
  // Each step of its history up to its status: submitted a day after creation, in review 3 to 12
  // days later, decided 5 to 45 days after that.
  await sql(
    `insert into dossier_status_change (id, dossier_id, from_status, to_status, changed_by, changed_at)
     select md5('statistics-change-' || d.id || '-' || step.status)::uuid, d.id, step.previous, step.status, ?::uuid, step.at
       from dossier d
       cross join lateral (values
         (null, 'DRAFT', d.created_at, 0),
         ('DRAFT', 'SUBMITTED', d.created_at + interval '1 day', 1),
         ('SUBMITTED', 'IN_REVIEW', d.created_at + interval '1 day' + (3 + (get_byte(decode(md5(d.id::text), 'hex'), 0) % 10)) * interval '1 day', 2),
         ('IN_REVIEW', d.status, d.created_at + interval '1 day' + (3 + (get_byte(decode(md5(d.id::text), 'hex'), 0) % 10)) * interval '1 day'
            + (5 + (get_byte(decode(md5(d.id::text), 'hex'), 1) % 41)) * interval '1 day' + (get_byte(decode(md5(d.id::text), 'hex'), 2) % 24) * interval '1 hour', 3)
       ) as step(previous, status, at, rank)
      where d.title like 'Dossier chiffré %'
        and step.rank <= case d.status when 'DRAFT' then 0 when 'SUBMITTED' then 1 when 'IN_REVIEW' then 2 else 3 end`,
    [creator],
  );
}

/** Every dossier of the mandates database (the demo ones too), read straight from its tables. */
async function allDossiers(): Promise<DossierFacts[]> {
  const rows = await sql(
    `select d.organization_id, d.service_id, d.status, (d.requested_amount * 100)::bigint::text as cents,
            (select min(changed_at) from dossier_status_change c where c.dossier_id = d.id and c.to_status = 'SUBMITTED') as submitted_at,
            (select min(changed_at) from dossier_status_change c where c.dossier_id = d.id and c.to_status = 'IN_REVIEW') as review_started_at,
            (select min(changed_at) from dossier_status_change c where c.dossier_id = d.id and c.to_status in ('ACCEPTED', 'REFUSED')) as decided_at
       from dossier d`,
  );
  const instant = (value: unknown) => (value === null ? null : new Date(value as string | Date));
  return rows.map((row) => ({
    organizationId: String(row.organization_id),
    serviceId: String(row.service_id),
    status: String(row.status),
    cents: BigInt(String(row.cents)),
    submittedAt: instant(row.submitted_at),
    reviewStartedAt: instant(row.review_started_at),
    decidedAt: instant(row.decided_at),
  }));
}

const dollars = (cents: bigint) => `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;

/** The figures of `dossiers`, worked out here: exact sums in cents, the median as its definition says. */
function figuresOf(dossiers: readonly DossierFacts[], now: Date): Figures {
  const days = dossiers
    .filter((dossier) => dossier.reviewStartedAt)
    .map((dossier) => ((dossier.decidedAt ?? now).getTime() - dossier.reviewStartedAt!.getTime()) / 86_400_000)
    .sort((a, b) => a - b);
  const middle = days.length / 2;
  const median = days.length === 0 ? null : days.length % 2 === 1 ? days[Math.floor(middle)]! : (days[middle - 1]! + days[middle]!) / 2;
  return {
    dossierCount: dossiers.length,
    requestedAmount: dollars(dossiers.reduce((sum, dossier) => sum + dossier.cents, 0n)),
    acceptedAmount: dollars(dossiers.filter((dossier) => dossier.status === 'ACCEPTED').reduce((sum, dossier) => sum + dossier.cents, 0n)),
    medianDaysInReview: median === null ? null : Math.round(median * 100) / 100,
  };
}

/** Expected groups by program and status: the answer's order (program id, then status as listed by the enum's text). */
function byProgramAndStatus(dossiers: readonly DossierFacts[], now: Date) {
  const keys = [...new Set(dossiers.map((dossier) => `${dossier.serviceId}|${dossier.status}`))].sort();
  return keys.map((key) => {
    const [serviceId, status] = key.split('|') as [string, string];
    const members = dossiers.filter((dossier) => dossier.serviceId === serviceId && dossier.status === status);
    return { program: { id: serviceId }, status, organization: null, submissionYear: null, submissionMonth: null, ...figuresOf(members, now) };
  });
}

/** The medians depend on when each side read the clock for dossiers still in review: compared to within a minute. */
function expectSameFigures(actual: Array<Figures & Record<string, unknown>>, expected: Array<Figures & Record<string, unknown>>): void {
  const withoutMedian = ({ medianDaysInReview: _median, ...rest }: Figures & Record<string, unknown>) => rest;
  expect(actual.map(withoutMedian)).toEqual(expected.map(withoutMedian));
  actual.forEach((group, index) => {
    const wanted = expected[index]!.medianDaysInReview;
    if (wanted === null) expect(group.medianDaysInReview).toBeNull();
    else expect(Math.abs(group.medianDaysInReview! - wanted)).toBeLessThanOrEqual(0.02);
  });
}

const REPORT_STATISTICS = `query ReportStatistics($groupBy: [FinancialReportStatisticsDimension!]!, $filter: FinancialReportStatisticsFilter) {
  financialReportStatistics(groupBy: $groupBy, filter: $filter) {
    groups { organization { id } fiscalYear status late reportCount transmittedCount lateCount medianDaysLate }
    total { reportCount transmittedCount lateCount medianDaysLate }
  }
}`;

/**
 * Reports of the four municipalities for the fiscal years 2012 to 2019 (the demo reports are
 * later ones), at every status, transmitted before their deadline, after it, or never.
 */
async function generateReports(): Promise<void> {
  await sql(
    `insert into financial_report (id, organization_id, fiscal_year, status, version, content, created_by, created_at, updated_at, first_transmitted_at)
     select md5('statistics-report-' || o.i || '-' || y)::uuid, (?::uuid[])[o.i], y,
            (array['DRAFT', 'AUDITED', 'ATTESTED', 'TRANSMITTED', 'TRANSMITTED', 'TRANSMITTED'])[1 + (o.i * 7 + y) % 6],
            1, '{}'::jsonb, ?::uuid, now(), now(),
            case when (o.i * 7 + y) % 6 >= 3 then make_date(y + 1, 6, 30) + ((o.i * 13 + y * 5) % 120 - 60) * interval '1 day' + interval '15 hours' end
       from generate_series(1, 4) as o(i) cross join generate_series(2012, 2019) as y
     on conflict do nothing`,
    [`{${ORGANIZATIONS.join(',')}}`, stableId('user', 'MAG0000004')],
  );
}

interface ReportFacts {
  organizationId: string;
  fiscalYear: number;
  status: string;
  transmittedOn: string | null;
}

async function allReports(): Promise<ReportFacts[]> {
  const rows = await sql('select organization_id, fiscal_year, status, first_transmitted_at from financial_report');
  return rows.map((row) => ({
    organizationId: String(row.organization_id),
    fiscalYear: Number(row.fiscal_year),
    status: String(row.status),
    transmittedOn: row.first_transmitted_at === null ? null : quebecDayOf(new Date(row.first_transmitted_at as string | Date)),
  }));
}

const quebecDayOf = (instant: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Toronto' }).format(instant);
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;

/** R18, worked out here: late when first transmitted after 30 June of the next year, or not transmitted once it is past. */
function reportFiguresOf(reports: readonly ReportFacts[]) {
  const today = quebecDayOf(new Date());
  const daysLate = (report: ReportFacts) => dayNumber(report.transmittedOn ?? today) - dayNumber(`${report.fiscalYear + 1}-06-30`);
  const late = reports.filter((report) => daysLate(report) > 0);
  const days = late.map(daysLate).sort((a, b) => a - b);
  const middle = days.length / 2;
  return {
    reportCount: reports.length,
    transmittedCount: reports.filter((report) => report.transmittedOn !== null).length,
    lateCount: late.length,
    medianDaysLate: days.length === 0 ? null : days.length % 2 === 1 ? days[Math.floor(middle)]! : (days[middle - 1]! + days[middle]!) / 2,
  };
}

const MANDATE_STATISTICS = `query MandateStatistics($groupBy: [MandateStatisticsDimension!]!, $filter: MandateStatisticsFilter) {
  mandateStatistics(groupBy: $groupBy, filter: $filter) {
    groups { firm { id } level status service { id } organization { id } mandateCount mandataireCount dossierCount }
    total { mandateCount mandataireCount dossierCount }
  }
}`;
const GCE = stableId('organization', 'FIRM-GCE');
const VCE = stableId('organization', 'FIRM-VCE');

/**
 * Mandates given by the four municipalities in the programs to the two firms' users, at every
 * level, started, scheduled, ended, expired or revoked, each naming some of the generated dossiers
 * of its organization and program (or none).
 */
async function generateMandates(): Promise<void> {
  const users = ['GCE0000001', 'GCE0000002', 'VCE0000001'].map((code) => stableId('user', code));
  await sql(
    `insert into mandate (id, organization_id, service_id, firm_organization_id, mandataire_id, mandataire_name, level, starts_on, ends_on, granted_by, granted_at, revoked_at, revoked_by)
     select md5('statistics-mandate-' || i)::uuid, (?::uuid[])[1 + i % 4], (?::uuid[])[1 + (i / 4) % 6],
            case when i % 3 = 2 then ?::uuid else ?::uuid end, (?::uuid[])[1 + i % 3], 'Mandataire ' || i,
            (array['CONSULTATION', 'PREPARATION', 'TRANSMISSION'])[1 + (i / 3) % 3],
            current_date - 400 + (i * 11) % 700, case when i % 5 = 0 then null else current_date - 400 + (i * 11) % 700 + (i * 37) % 400 end,
            ?::uuid, now(), case when i % 7 = 0 then now() end, case when i % 7 = 0 then ?::uuid end
       from generate_series(1, 150) i`,
    [`{${ORGANIZATIONS.join(',')}}`, `{${PROGRAMS.join(',')}}`, VCE, GCE, `{${users.join(',')}}`, stableId('user', 'MAG0000001'), stableId('user', 'MAG0000001')],
  );
  await sql(
    `insert into mandate_dossier (mandate_id, dossier_id)
     select m.id, d.id from mandate m
       join dossier d on d.organization_id = m.organization_id and d.service_id = m.service_id and d.title like 'Dossier chiffré %'
      where m.mandataire_name like 'Mandataire %' and get_byte(decode(md5(m.id::text || d.id::text), 'hex'), 0) % 4 = 0`,
  );
}

interface MandateFacts {
  organizationId: string;
  serviceId: string;
  firmId: string;
  mandataireId: string;
  level: string;
  status: string;
  named: number;
}

/** Every mandate, its status today in Québec worked out here as R16 says (mandate-status.ts). */
async function allMandates(): Promise<MandateFacts[]> {
  const rows = await sql(
    `select m.organization_id, m.service_id, m.firm_organization_id, m.mandataire_id, m.level, m.starts_on::text, m.ends_on::text, m.revoked_at,
            (select count(*) from mandate_dossier md where md.mandate_id = m.id)::int as named,
            (select count(*) from mandate_dossier md join dossier d on d.id = md.dossier_id where md.mandate_id = m.id and d.status not in ('ACCEPTED', 'REFUSED'))::int as open
       from mandate m`,
  );
  const today = quebecDayOf(new Date());
  return rows.map((row) => {
    const named = Number(row.named);
    const status =
      row.revoked_at !== null
        ? 'REVOKED'
        : typeof row.ends_on === 'string' && row.ends_on < today
          ? 'EXPIRED'
          : named > 0 && Number(row.open) === 0
            ? 'ENDED'
            : typeof row.starts_on === 'string' && row.starts_on > today
              ? 'SCHEDULED'
              : 'ACTIVE';
    return {
      organizationId: String(row.organization_id),
      serviceId: String(row.service_id),
      firmId: String(row.firm_organization_id),
      mandataireId: String(row.mandataire_id),
      level: String(row.level),
      status,
      named,
    };
  });
}

const mandateFiguresOf = (mandates: readonly MandateFacts[]) => ({
  mandateCount: mandates.length,
  mandataireCount: new Set(mandates.map((mandate) => mandate.mandataireId)).size,
  dossierCount: mandates.reduce((sum, mandate) => sum + mandate.named, 0),
});

/** Expected groups by firm and level, in the answer's order. */
function byFirmAndLevel(mandates: readonly MandateFacts[]) {
  const keys = [...new Set(mandates.map((mandate) => `${mandate.firmId}|${mandate.level}`))].sort();
  return keys.map((key) => {
    const [firmId, level] = key.split('|') as [string, string];
    const members = mandates.filter((mandate) => mandate.firmId === firmId && mandate.level === level);
    return { firm: { id: firmId }, level, status: null, service: null, organization: null, ...mandateFiguresOf(members) };
  });
}

let firmRse: Headers;
let dgi: Headers;
let dniff: Headers;
let magogRespondent: Headers;
let externalAuditor: Headers;
let preparer: Headers;
let magogManager: Headers;
let sherbrookeManager: Headers;
let magogUser: Headers;
let mandataire: Headers;
let estrieDirection: Headers;

beforeAll(async () => {
  stack = await startStack();
  await generateDossiers();
  await generateReports();
  await generateMandates();
  [dgi, magogManager, sherbrookeManager, magogUser, mandataire, dniff, externalAuditor, preparer, firmRse, estrieDirection] = await Promise.all([
    as('MAM0000002'),
    as('MAG0000001'),
    as('SHE0000001'),
    as('MAG0000002'),
    as('GCE0000002'),
    as('MAM0000003'),
    as('VCE0000001'),
    as('MAG0000004'),
    as('GCE0000001'),
    as('MAM0000004'),
  ]);
  magogRespondent = magogManager;
});

afterAll(async () => {
  await stack?.close();
});

describe('dossierStatistics: the same figures as the rows, for each kind of reader (issue 18, R15, R20)', () => {
  it("the DGI's staff get every dossier of the DGI's programs, by program and status", async () => {
    const response = await gateway({ groupBy: ['PROGRAM', 'STATUS'] }, dgi);
    const now = new Date();
    expect(response.errors).toBeUndefined();
    const inScope = (await allDossiers()).filter((dossier) => PROGRAMS.includes(dossier.serviceId));
    expect(inScope.length).toBeGreaterThan(GENERATED);
    expectSameFigures(response.data.dossierStatistics.groups, byProgramAndStatus(inScope, now));
    const { medianDaysInReview, ...total } = response.data.dossierStatistics.total;
    const { medianDaysInReview: expectedMedian, ...expectedTotal } = figuresOf(inScope, now);
    expect(total).toEqual(expectedTotal);
    expect(Math.abs(medianDaysInReview - expectedMedian!)).toBeLessThanOrEqual(0.02);
  });

  it("Magog's local manager for TECQ, also a user of it, gets Magog's TECQ dossiers only, not its other programs' (R14)", async () => {
    const response = await gateway({ groupBy: ['PROGRAM', 'STATUS'] }, magogManager);
    expect(response.errors).toBeUndefined();
    const inScope = (await allDossiers()).filter((dossier) => dossier.organizationId === MAGOG && dossier.serviceId === TECQ);
    expect(inScope.length).toBeGreaterThan(0);
    expectSameFigures(response.data.dossierStatistics.groups, byProgramAndStatus(inScope, new Date()));
    expect(response.data.dossierStatistics.total.dossierCount).toBe(inScope.length);
  });

  it("Sherbrooke's local manager for RÉCIM gets Sherbrooke's RÉCIM dossiers, never Magog's", async () => {
    const response = await gateway({ groupBy: ['ORGANIZATION', 'PROGRAM'] }, sherbrookeManager);
    expect(response.errors).toBeUndefined();
    const inScope = (await allDossiers()).filter((dossier) => dossier.organizationId === SHERBROOKE && dossier.serviceId === RECIM);
    expect(response.data.dossierStatistics.groups).toEqual(
      inScope.length === 0 ? [] : [expect.objectContaining({ organization: { id: SHERBROOKE }, program: { id: RECIM }, dossierCount: inScope.length })],
    );
  });

  it('filters by program, status and submission days in Québec, and groups by year and month of submission', async () => {
    const filter = { programIds: [TECQ, RECIM], statuses: ['ACCEPTED', 'REFUSED'], submittedFrom: '2025-03-01', submittedUntil: '2026-02-28' };
    const response = await gateway({ groupBy: ['SUBMISSION_YEAR', 'SUBMISSION_MONTH'], filter }, dgi);
    expect(response.errors).toBeUndefined();
    const quebecDay = (instant: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Toronto' }).format(instant);
    const inScope = (await allDossiers()).filter(
      (dossier) =>
        [TECQ, RECIM].includes(dossier.serviceId) &&
        ['ACCEPTED', 'REFUSED'].includes(dossier.status) &&
        dossier.submittedAt !== null &&
        quebecDay(dossier.submittedAt) >= '2025-03-01' &&
        quebecDay(dossier.submittedAt) <= '2026-02-28',
    );
    const months = [...new Set(inScope.map((dossier) => quebecDay(dossier.submittedAt!).slice(0, 7)))].sort();
    expect(months.length).toBeGreaterThan(3);
    expectSameFigures(
      response.data.dossierStatistics.groups,
      months.map((month) => ({
        program: null,
        status: null,
        organization: null,
        submissionYear: Number(month.slice(0, 4)),
        submissionMonth: month,
        ...figuresOf(inScope.filter((dossier) => quebecDay(dossier.submittedAt!).startsWith(month)), new Date()),
      })),
    );
  });

  it('a plain user of the organization and a mandataire get no figures: FORBIDDEN, nothing counted', async () => {
    for (const reader of [magogUser, mandataire]) {
      const response = await gateway({ groupBy: ['PROGRAM'] }, reader);
      expect(codeOf(response)).toBe('FORBIDDEN');
      expect(response.data?.dossierStatistics ?? null).toBeNull();
    }
  });

  it('refuses a dimension asked twice and a period that ends before it starts, with the field at fault', async () => {
    const twice = await gateway({ groupBy: ['PROGRAM', 'PROGRAM'] }, dgi);
    expect(codeOf(twice)).toBe('BAD_USER_INPUT');
    expect(twice.errors?.[0]?.extensions?.field).toBe('groupBy');
    const backwards = await gateway({ groupBy: [], filter: { submittedFrom: '2026-02-01', submittedUntil: '2026-01-01' } }, dgi);
    expect(codeOf(backwards)).toBe('BAD_USER_INPUT');
    expect(backwards.errors?.[0]?.extensions?.field).toBe('filter.submittedUntil');
  });
});

describe('financialReportStatistics: the same figures as the reports, for each kind of reader (issue 18, R13, R18, R20)', () => {
  const reportGateway = (variables: Record<string, unknown>, headers: Headers) => execute<any>(stack.gatewayUrl, REPORT_STATISTICS, variables, headers);

  it('DNIFF, PERFORM’s owner, gets every report, by fiscal year and lateness', async () => {
    const response = await reportGateway({ groupBy: ['FISCAL_YEAR', 'LATE'] }, dniff);
    expect(response.errors).toBeUndefined();
    const reports = await allReports();
    const today = quebecDayOf(new Date());
    const isLate = (report: ReportFacts) => (report.transmittedOn ?? today) > `${report.fiscalYear + 1}-06-30`;
    const keys = [...new Set(reports.map((report) => `${report.fiscalYear}|${isLate(report)}`))].sort();
    expect(response.data.financialReportStatistics.groups).toEqual(
      keys.map((key) => {
        const [year, late] = key.split('|');
        const members = reports.filter((report) => String(report.fiscalYear) === year && String(isLate(report)) === late);
        return { organization: null, fiscalYear: Number(year), status: null, late: late === 'true', ...reportFiguresOf(members) };
      }),
    );
    expect(response.data.financialReportStatistics.total).toEqual(reportFiguresOf(reports));
  });

  it('which municipalities are late with their 2015 report: filtered by year and lateness, grouped by organization', async () => {
    const response = await reportGateway({ groupBy: ['ORGANIZATION'], filter: { fiscalYears: [2015], late: true } }, dniff);
    expect(response.errors).toBeUndefined();
    const today = quebecDayOf(new Date());
    const late = (await allReports()).filter((report) => report.fiscalYear === 2015 && (report.transmittedOn ?? today) > '2016-06-30');
    expect(late.length).toBeGreaterThan(0);
    expect(response.data.financialReportStatistics.groups.map((group: { organization: { id: string } }) => group.organization.id)).toEqual(
      [...new Set(late.map((report) => report.organizationId))].sort(),
    );
  });

  it('R18: which municipal bodies are late with their 2013 report, those that never opened it included (countMissingReports)', async () => {
    const MISSING = `query Missing($filter: FinancialReportStatisticsFilter) {
      financialReportStatistics(groupBy: [ORGANIZATION], filter: $filter) {
        groups { organization { id } reportCount missingCount lateCount }
        total { reportCount missingCount lateCount }
      }
    }`;
    const response = await execute<any>(stack.gatewayUrl, MISSING, { filter: { fiscalYears: [2013], late: true, countMissingReports: true } }, dniff);
    expect(response.errors).toBeUndefined();
    // Worked out here: every municipal body identity's Répertoire lists, with its 2013 report if any.
    const bodies = (
      await stack.subgraphs.identity.database.orm.em
        .getConnection()
        .execute<Array<{ id: string }>>("select id from organization where kind in ('LOCAL_MUNICIPALITY', 'MRC', 'INTERMUNICIPAL_BOARD', 'METROPOLITAN_COMMUNITY')")
    ).map((row) => String(row.id));
    const reports = (await allReports()).filter((report) => report.fiscalYear === 2013);
    const today = quebecDayOf(new Date());
    const expected = bodies
      .map((id) => {
        const report = reports.find((candidate) => candidate.organizationId === id);
        const late = !report || (report.transmittedOn ?? today) > '2014-06-30';
        return { id, report, late };
      })
      .filter((body) => body.late)
      .map(({ id, report }) => ({ organization: { id }, reportCount: report ? 1 : 0, missingCount: report ? 0 : 1, lateCount: 1 }))
      .sort((a, b) => (a.organization.id < b.organization.id ? -1 : 1));
    expect(expected.some((group) => group.missingCount === 1)).toBe(true);
    expect(expected.some((group) => group.reportCount === 1)).toBe(true);
    expect(response.data.financialReportStatistics.groups).toEqual(expected);
    expect(response.data.financialReportStatistics.total).toEqual({
      reportCount: expected.filter((group) => group.reportCount === 1).length,
      missingCount: expected.filter((group) => group.missingCount === 1).length,
      lateCount: expected.length,
    });

    // Without naming the years, missing reports cannot be counted; and without asking, they are not.
    const unnamed = await execute<any>(stack.gatewayUrl, MISSING, { filter: { countMissingReports: true } }, dniff);
    expect(codeOf(unnamed)).toBe('BAD_USER_INPUT');
    expect(unnamed.errors?.[0]?.extensions?.field).toBe('filter.fiscalYears');
    const notAsked = await execute<any>(stack.gatewayUrl, MISSING, { filter: { fiscalYears: [2013] } }, dniff);
    expect(notAsked.data.financialReportStatistics.total.missingCount).toBeNull();
    expect(notAsked.data.financialReportStatistics.total.reportCount).toBe(reports.length);
  });

  it("Magog's répondant municipal gets Magog's reports only", async () => {
    const response = await reportGateway({ groupBy: ['ORGANIZATION'] }, magogRespondent);
    expect(response.errors).toBeUndefined();
    const magog = (await allReports()).filter((report) => report.organizationId === MAGOG);
    expect(response.data.financialReportStatistics.groups).toEqual([
      { organization: { id: MAGOG }, fiscalYear: null, status: null, late: null, ...reportFiguresOf(magog) },
    ]);
  });

  it("a firm's external auditor, a preparer and another direction get no figures: FORBIDDEN", async () => {
    for (const reader of [externalAuditor, preparer, dgi]) {
      const response = await reportGateway({ groupBy: ['FISCAL_YEAR'] }, reader);
      expect(codeOf(response)).toBe('FORBIDDEN');
      expect(response.data?.financialReportStatistics ?? null).toBeNull();
    }
  });
});

describe('mandateStatistics: the same figures as the mandates, for each kind of reader (issue 18, R15, R16, R20)', () => {
  const mandateGateway = (variables: Record<string, unknown>, headers: Headers) => execute<any>(stack.gatewayUrl, MANDATE_STATISTICS, variables, headers);

  it("the DGI's staff get the mandates on the DGI's programs, by firm and level", async () => {
    const response = await mandateGateway({ groupBy: ['FIRM', 'LEVEL'] }, dgi);
    expect(response.errors).toBeUndefined();
    const inScope = (await allMandates()).filter((mandate) => PROGRAMS.includes(mandate.serviceId));
    expect(inScope.length).toBeGreaterThan(100);
    expect(response.data.mandateStatistics.groups).toEqual(byFirmAndLevel(inScope));
    expect(response.data.mandateStatistics.total).toEqual(mandateFiguresOf(inScope));
  });

  it('counts by status today in Québec, as R16 ends, expires and revokes mandates', async () => {
    const response = await mandateGateway({ groupBy: ['STATUS'], filter: { levels: ['PREPARATION', 'TRANSMISSION'] } }, dgi);
    expect(response.errors).toBeUndefined();
    const inScope = (await allMandates()).filter((mandate) => PROGRAMS.includes(mandate.serviceId) && mandate.level !== 'CONSULTATION');
    const statuses = [...new Set(inScope.map((mandate) => mandate.status))].sort();
    expect(statuses.length).toBeGreaterThanOrEqual(4);
    expect(response.data.mandateStatistics.groups).toEqual(
      statuses.map((status) => ({ firm: null, level: null, status, service: null, organization: null, ...mandateFiguresOf(inScope.filter((mandate) => mandate.status === status)) })),
    );
  });

  it("Magog's local manager gets the mandates Magog gave in the services he mandates in; the firm's RSÉ, those the firm received", async () => {
    const mandates = await allMandates();
    const magogResponse = await mandateGateway({ groupBy: ['ORGANIZATION', 'SERVICE'] }, magogManager);
    expect(magogResponse.errors).toBeUndefined();
    // TECQ, where he is local manager, and PERFORM, where he is répondant municipal (R13).
    const perform = stableId('online-service', ServiceCode.Perform);
    const magogs = mandates.filter((mandate) => mandate.organizationId === MAGOG && [TECQ, perform].includes(mandate.serviceId));
    expect(magogResponse.data.mandateStatistics.total).toEqual(mandateFiguresOf(magogs));
    expect(magogResponse.data.mandateStatistics.groups.map((group: { service: { id: string } }) => group.service.id)).toEqual(
      [...new Set(magogs.map((mandate) => mandate.serviceId))].sort(),
    );

    const firmResponse = await mandateGateway({ groupBy: ['FIRM'] }, firmRse);
    expect(firmResponse.errors).toBeUndefined();
    const received = mandates.filter((mandate) => mandate.firmId === GCE);
    expect(firmResponse.data.mandateStatistics.groups).toEqual([{ firm: { id: GCE }, level: null, status: null, service: null, organization: null, ...mandateFiguresOf(received) }]);
  });

  it('a mandataire and a plain user get no figures: FORBIDDEN', async () => {
    for (const reader of [mandataire, magogUser]) {
      const response = await mandateGateway({ groupBy: ['FIRM'] }, reader);
      expect(codeOf(response)).toBe('FORBIDDEN');
      expect(response.data?.mandateStatistics ?? null).toBeNull();
    }
  });
});

describe("figures by administrative region, as identity's Répertoire says it now (issue 18, R5)", () => {
  const BY_REGION = `query ByRegion($filter: DossierStatisticsFilter) {
    dossierStatistics(groupBy: [ADMINISTRATIVE_REGION], filter: $filter) { groups { administrativeRegion dossierCount requestedAmount } }
  }`;
  const CORRECT = `mutation($input: CorrectRepertoireInput!) { correctRepertoire(input: $input) { organization { administrativeRegion } } }`;
  const identitySql = (query: string) => stack.subgraphs.identity.database.orm.em.getConnection().execute<Array<Record<string, unknown>>>(query);

  /** The DGI's dossiers by region, worked out here from mandates' rows and identity's Répertoire. */
  async function expectedByRegion() {
    const regionOf = new Map((await identitySql('select id, administrative_region from organization')).map((row) => [String(row.id), row.administrative_region as string | null]));
    const dossiers = (await allDossiers()).filter((dossier) => PROGRAMS.includes(dossier.serviceId));
    const regions = [...new Set(dossiers.map((dossier) => regionOf.get(dossier.organizationId) ?? null))].sort((a, b) =>
      a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0,
    );
    return regions.map((region) => {
      const members = dossiers.filter((dossier) => (regionOf.get(dossier.organizationId) ?? null) === region);
      const { dossierCount, requestedAmount } = figuresOf(members, new Date());
      return { administrativeRegion: region, dossierCount, requestedAmount };
    });
  }

  it("groups the DGI's dossiers by region, and a correction of the Répertoire counts on the next request", async () => {
    const before = await execute<any>(stack.gatewayUrl, BY_REGION, {}, dgi);
    expect(before.errors).toBeUndefined();
    const expected = await expectedByRegion();
    expect(expected.map((group) => group.administrativeRegion)).toEqual(expect.arrayContaining(['05 Estrie', '03 Capitale-Nationale']));
    expect(before.data.dossierStatistics.groups).toEqual(expected);

    // R5: Magog's user holding « Mise à jour des données de la clientèle » corrects its region.
    const corrected = await execute<any>(
      stack.gatewayUrl,
      CORRECT,
      {
        input: {
          organizationId: MAGOG,
          personsInAuthority: [
            { role: 'MAYOR', givenName: 'Jean', familyName: 'Lavallée' },
            { role: 'DIRECTOR_GENERAL', givenName: 'Isabelle', familyName: 'Tremblay' },
          ],
          administrativeRegion: '16 Montérégie',
        },
      },
      magogManager,
    );
    expect(corrected.errors).toBeUndefined();
    expect(corrected.data.correctRepertoire.organization.administrativeRegion).toBe('16 Montérégie');

    const after = await execute<any>(stack.gatewayUrl, BY_REGION, {}, dgi);
    expect(after.errors).toBeUndefined();
    const moved = await expectedByRegion();
    expect(moved.map((group) => group.administrativeRegion)).toContain('16 Montérégie');
    expect(after.data.dossierStatistics.groups).toEqual(moved);
    expect(after.data.dossierStatistics.groups).not.toEqual(before.data.dossierStatistics.groups);
  });

  it('filters by region: only the dossiers of the bodies of those regions', async () => {
    const response = await execute<any>(stack.gatewayUrl, BY_REGION, { filter: { administrativeRegions: ['03 Capitale-Nationale'] } }, dgi);
    expect(response.errors).toBeUndefined();
    expect(response.data.dossierStatistics.groups).toEqual((await expectedByRegion()).filter((group) => group.administrativeRegion === '03 Capitale-Nationale'));
  });

  it('refuses a region written without its number, with the field at fault, and changes nothing', async () => {
    const refused = await execute<any>(
      stack.gatewayUrl,
      CORRECT,
      { input: { organizationId: SHERBROOKE, personsInAuthority: [{ role: 'MAYOR', givenName: 'Hélène', familyName: 'Dubé' }], administrativeRegion: 'Estrie' } },
      sherbrookeManager,
    );
    expect(codeOf(refused)).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0]?.extensions?.field).toBe('input.administrativeRegion');
    const [sherbrooke] = await identitySql(`select administrative_region from organization where id = '${SHERBROOKE}'`);
    expect(sherbrooke?.administrative_region).toBe('05 Estrie');
  });
});

describe("figures by MRC, as identity's Répertoire says it now (issue 18, R5)", () => {
  const MRC_450 = stableId('organization', 'MRC-450');
  const BY_MRC = `query ByMrc($filter: DossierStatisticsFilter) {
    dossierStatistics(groupBy: [MRC], filter: $filter) { groups { mrc { id name } dossierCount requestedAmount } }
  }`;
  const REPORTS_BY_MRC = `query ReportsByMrc($filter: FinancialReportStatisticsFilter) {
    financialReportStatistics(groupBy: [MRC, FISCAL_YEAR], filter: $filter) { groups { mrc { id } fiscalYear reportCount transmittedCount lateCount } }
  }`;
  const CORRECT = `mutation($input: CorrectRepertoireInput!) { correctRepertoire(input: $input) { organization { mrc { id } } } }`;
  const identitySql = (query: string, params: unknown[] = []) =>
    stack.subgraphs.identity.database.orm.em.getConnection().execute<Array<Record<string, unknown>>>(query, params);
  /** A second MRC of Estrie, for Sherbrooke to be put in: the demo data has one MRC only. */
  const VAL_SAINT_FRANCOIS = stableId('organization', 'MRC-420');

  /** Each organization's MRC, read straight from identity's table. */
  const mrcOf = async () => new Map((await identitySql('select id, mrc_id from organization')).map((row) => [String(row.id), typeof row.mrc_id === 'string' ? row.mrc_id : null]));
  const nameOf = async () => new Map((await identitySql('select id, name from organization')).map((row) => [String(row.id), String(row.name)]));
  /** Nulls last, the ids as PostgreSQL orders uuids (their lowercase text). */
  const byId = (a: string | null, b: string | null) => (a === null ? (b === null ? 0 : 1) : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0);

  /** The DGI's dossiers by MRC, worked out here from mandates' rows and identity's Répertoire. */
  async function expectedByMrc(only?: readonly string[]) {
    const [mrcs, names] = [await mrcOf(), await nameOf()];
    const dossiers = (await allDossiers())
      .filter((dossier) => PROGRAMS.includes(dossier.serviceId))
      .filter((dossier) => !only || only.includes(mrcs.get(dossier.organizationId) ?? ''));
    const keys = [...new Set(dossiers.map((dossier) => mrcs.get(dossier.organizationId) ?? null))].sort(byId);
    return keys.map((mrc) => {
      const members = dossiers.filter((dossier) => (mrcs.get(dossier.organizationId) ?? null) === mrc);
      const { dossierCount, requestedAmount } = figuresOf(members, new Date());
      return { mrc: mrc === null ? null : { id: mrc, name: names.get(mrc)! }, dossierCount, requestedAmount };
    });
  }

  /** Every report by MRC and fiscal year, worked out here from mandates' rows and identity's Répertoire. */
  async function expectedReportsByMrc(only?: readonly string[]) {
    const mrcs = await mrcOf();
    const reports = (await allReports()).filter((report) => !only || only.includes(mrcs.get(report.organizationId) ?? ''));
    const mrcKeys = [...new Set(reports.map((report) => mrcs.get(report.organizationId) ?? null))].sort(byId);
    return mrcKeys.flatMap((mrc) => {
      const ofMrc = reports.filter((report) => (mrcs.get(report.organizationId) ?? null) === mrc);
      return [...new Set(ofMrc.map((report) => report.fiscalYear))]
        .sort((a, b) => a - b)
        .map((fiscalYear) => {
          const { reportCount, transmittedCount, lateCount } = reportFiguresOf(ofMrc.filter((report) => report.fiscalYear === fiscalYear));
          return { mrc: mrc === null ? null : { id: mrc }, fiscalYear, reportCount, transmittedCount, lateCount };
        });
    });
  }

  beforeAll(async () => {
    await identitySql(
      `insert into organization (id, kind, name, clic_sequr_status, geographic_code, administrative_region, mrc_id, created_at)
       values (?, 'MRC', 'MRC du Val-Saint-François', 'REGISTERED', '420', '05 Estrie', ?, now())`,
      [VAL_SAINT_FRANCOIS, VAL_SAINT_FRANCOIS],
    );
  });

  it("R5, R20: groups the DGI's dossiers by MRC as the Répertoire says, a body outside any MRC in the null group", async () => {
    const response = await execute<any>(stack.gatewayUrl, BY_MRC, {}, dgi);
    expect(response.errors).toBeUndefined();
    const expected = await expectedByMrc();
    // Magog's dossiers under the MRC de Memphrémagog, Sherbrooke's, Québec's and Lévis' (cities outside any MRC) under null.
    expect(expected.map((group) => group.mrc?.id ?? null)).toEqual([MRC_450, null]);
    expect(response.data.dossierStatistics.groups).toEqual(expected);
  });

  it('R5: filters by MRC, for dossiers and for financial reports', async () => {
    const dossiers = await execute<any>(stack.gatewayUrl, BY_MRC, { filter: { mrcIds: [MRC_450] } }, dgi);
    expect(dossiers.errors).toBeUndefined();
    expect(dossiers.data.dossierStatistics.groups).toEqual(await expectedByMrc([MRC_450]));
    expect(dossiers.data.dossierStatistics.groups).toHaveLength(1);

    const reports = await execute<any>(stack.gatewayUrl, REPORTS_BY_MRC, {}, dniff);
    expect(reports.errors).toBeUndefined();
    expect(reports.data.financialReportStatistics.groups).toEqual(await expectedReportsByMrc());
    const filtered = await execute<any>(stack.gatewayUrl, REPORTS_BY_MRC, { filter: { mrcIds: [MRC_450] } }, dniff);
    expect(filtered.errors).toBeUndefined();
    const magogs = await expectedReportsByMrc([MRC_450]);
    expect(magogs.length).toBeGreaterThan(0);
    expect(filtered.data.financialReportStatistics.groups).toEqual(magogs);
  });

  it('R5: a correction of a body’s MRC in the Répertoire counts in the figures on the next request', async () => {
    const before = await execute<any>(stack.gatewayUrl, BY_MRC, {}, dgi);
    expect(before.errors).toBeUndefined();
    // Estrie's regional direction (R5) puts Sherbrooke in the MRC du Val-Saint-François.
    const corrected = await execute<any>(
      stack.gatewayUrl,
      CORRECT,
      { input: { organizationId: SHERBROOKE, personsInAuthority: [{ role: 'MAYOR', givenName: 'Hélène', familyName: 'Dubé' }], mrcId: VAL_SAINT_FRANCOIS } },
      await as('MAM0000004'),
    );
    expect(corrected.errors).toBeUndefined();
    expect(corrected.data.correctRepertoire.organization.mrc).toEqual({ id: VAL_SAINT_FRANCOIS });

    const after = await execute<any>(stack.gatewayUrl, BY_MRC, {}, dgi);
    expect(after.errors).toBeUndefined();
    const moved = await expectedByMrc();
    expect(moved.map((group) => group.mrc?.id ?? null)).toEqual([MRC_450, VAL_SAINT_FRANCOIS, null].sort(byId));
    expect(after.data.dossierStatistics.groups).toEqual(moved);
    expect(after.data.dossierStatistics.groups).not.toEqual(before.data.dossierStatistics.groups);
    const filtered = await execute<any>(stack.gatewayUrl, BY_MRC, { filter: { mrcIds: [VAL_SAINT_FRANCOIS] } }, dgi);
    expect(filtered.data.dossierStatistics.groups).toEqual(await expectedByMrc([VAL_SAINT_FRANCOIS]));
  });

  it('R5: refuses an MRC that is no MRC organization, with the field at fault, and changes nothing', async () => {
    const refused = await execute<any>(
      stack.gatewayUrl,
      CORRECT,
      { input: { organizationId: MAGOG, personsInAuthority: [{ role: 'MAYOR', givenName: 'Autre', familyName: 'Maire' }], mrcId: SHERBROOKE } },
      magogManager,
    );
    expect(codeOf(refused)).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0]?.extensions?.field).toBe('input.mrcId');
    const [magog] = await identitySql('select mrc_id from organization where id = ?', [MAGOG]);
    expect(magog?.mrc_id).toBe(MRC_450);
    const persons = await identitySql('select given_name from person_in_authority where organization_id = ?', [MAGOG]);
    expect(persons.map((person) => person.given_name)).not.toContain('Autre');
  });

  it('refuses more than 100 MRC, on filter.mrcIds', async () => {
    const many = await execute<any>(stack.gatewayUrl, BY_MRC, { filter: { mrcIds: Array.from({ length: 101 }, () => MRC_450) } }, dgi);
    expect(codeOf(many)).toBe('BAD_USER_INPUT');
    expect(many.errors?.[0]?.extensions?.field).toBe('filter.mrcIds');
  });
});

describe("a regional direction's figures: the bodies the Répertoire places in its region now (issue 18, R5, R20)", () => {
  const BY_ORGANIZATION = `query DirectionDossiers {
    dossierStatistics(groupBy: [ORGANIZATION]) { groups { organization { id } dossierCount requestedAmount acceptedAmount } }
  }`;
  const REPORTS_BY_ORGANIZATION = `query DirectionReports {
    financialReportStatistics(groupBy: [ORGANIZATION]) { groups { organization { id } reportCount transmittedCount lateCount } }
  }`;
  const LISTED = `query Listed($id: ID!) { organization(id: $id) { dossiers(first: 1) { totalCount } } }`;
  const identitySql = (query: string) => stack.subgraphs.identity.database.orm.em.getConnection().execute<Array<Record<string, unknown>>>(query);
  /** The bodies identity's Répertoire places in Estrie (05) now, read straight from its table. */
  const estrieBodies = async () =>
    new Set((await identitySql("select id from organization where administrative_region like '05 %'")).map((row) => String(row.id)));
  const sorted = <T extends { organization: { id: string } }>(groups: T[]) => [...groups].sort((a, b) => (a.organization.id < b.organization.id ? -1 : 1));

  /** Every dossier of the bodies of Estrie, all programs, by organization, worked out here. */
  async function expectedDossiers() {
    const bodies = await estrieBodies();
    const dossiers = (await allDossiers()).filter((dossier) => bodies.has(dossier.organizationId));
    return [...new Set(dossiers.map((dossier) => dossier.organizationId))].sort().map((id) => {
      const { dossierCount, requestedAmount, acceptedAmount } = figuresOf(
        dossiers.filter((dossier) => dossier.organizationId === id),
        new Date(),
      );
      return { organization: { id }, dossierCount, requestedAmount, acceptedAmount };
    });
  }

  it("the Estrie direction gets the dossiers of Estrie's bodies, every program, and lists exactly those", async () => {
    const response = await execute<any>(stack.gatewayUrl, BY_ORGANIZATION, {}, estrieDirection);
    expect(response.errors).toBeUndefined();
    const expected = await expectedDossiers();
    expect(expected.length).toBeGreaterThan(0);
    expect(sorted(response.data.dossierStatistics.groups)).toEqual(expected);
    // A figure never counts a record its reader could not list: each body's list has as many.
    for (const group of expected) {
      const listed = await execute<any>(stack.gatewayUrl, LISTED, { id: group.organization.id }, estrieDirection);
      expect(listed.errors).toBeUndefined();
      expect(listed.data.organization.dossiers.totalCount).toBe(group.dossierCount);
    }
    const quebec = await execute<any>(stack.gatewayUrl, LISTED, { id: ORGANIZATIONS[2] }, estrieDirection);
    expect(codeOf(quebec)).toBe('FORBIDDEN');
  });

  it("the Estrie direction gets the reports of Estrie's bodies, none of another region's", async () => {
    const response = await execute<any>(stack.gatewayUrl, REPORTS_BY_ORGANIZATION, {}, estrieDirection);
    expect(response.errors).toBeUndefined();
    const bodies = await estrieBodies();
    const reports = (await allReports()).filter((report) => bodies.has(report.organizationId));
    const expected = [...new Set(reports.map((report) => report.organizationId))].sort().map((id) => {
      const { reportCount, transmittedCount, lateCount } = reportFiguresOf(reports.filter((report) => report.organizationId === id));
      return { organization: { id }, reportCount, transmittedCount, lateCount };
    });
    expect(expected.length).toBeGreaterThan(0);
    expect(sorted(response.data.financialReportStatistics.groups)).toEqual(expected);
  });

  it("counts the missing reports of its region's bodies only", async () => {
    const response = await execute<any>(
      stack.gatewayUrl,
      `query { financialReportStatistics(groupBy: [ORGANIZATION], filter: { fiscalYears: [2013], countMissingReports: true }) { groups { organization { id } reportCount missingCount } } }`,
      {},
      estrieDirection,
    );
    expect(response.errors).toBeUndefined();
    const bodies = await estrieBodies();
    const reports = (await allReports()).filter((report) => report.fiscalYear === 2013 && bodies.has(report.organizationId));
    const owing = (
      await identitySql(
        "select id from organization where administrative_region like '05 %' and kind in ('LOCAL_MUNICIPALITY', 'MRC', 'INTERMUNICIPAL_BOARD', 'METROPOLITAN_COMMUNITY')",
      )
    ).map((row) => String(row.id));
    expect(owing.length).toBeGreaterThan(reports.length);
    expect(sorted(response.data.financialReportStatistics.groups)).toEqual(
      owing.sort().map((id) => {
        const opened = reports.filter((report) => report.organizationId === id).length;
        return { organization: { id }, reportCount: opened, missingCount: opened === 0 ? 1 : 0 };
      }),
    );
  });

  it('gets no mandate figures: mandates are between a body and its firms (FORBIDDEN)', async () => {
    const response = await execute<any>(stack.gatewayUrl, MANDATE_STATISTICS, { groupBy: ['FIRM'] }, estrieDirection);
    expect(codeOf(response)).toBe('FORBIDDEN');
  });

  it('a body the direction moves to another region (R5) leaves its figures and its lists on the next request', async () => {
    const before = await execute<any>(stack.gatewayUrl, BY_ORGANIZATION, {}, estrieDirection);
    expect(before.data.dossierStatistics.groups.map((group: { organization: { id: string } }) => group.organization.id)).toContain(SHERBROOKE);
    const moved = await execute<any>(
      stack.gatewayUrl,
      `mutation($input: CorrectRepertoireInput!) { correctRepertoire(input: $input) { organization { administrativeRegion } } }`,
      { input: { organizationId: SHERBROOKE, personsInAuthority: [{ role: 'MAYOR', givenName: 'Évelyne', familyName: 'Beaudin' }], administrativeRegion: '16 Montérégie' } },
      estrieDirection,
    );
    expect(moved.errors).toBeUndefined();
    const after = await execute<any>(stack.gatewayUrl, BY_ORGANIZATION, {}, estrieDirection);
    expect(after.errors).toBeUndefined();
    expect(after.data.dossierStatistics.groups.map((group: { organization: { id: string } }) => group.organization.id)).not.toContain(SHERBROOKE);
    expect(sorted(after.data.dossierStatistics.groups)).toEqual(await expectedDossiers());
    expect(codeOf(await execute<any>(stack.gatewayUrl, LISTED, { id: SHERBROOKE }, estrieDirection))).toBe('FORBIDDEN');
  });
});
