import { IdentityRole, stableId } from '@pgamr/kit';
import { startTestSubgraph, startTestTokenIssuer, type TestSubgraph, type TestTokenIssuer, execute, expectIndexReads as expectIndexReadsOf, generatedId, generatedIdSql as sqlId, loadInBulk, planned as plannedRun, type StatementPlan } from '@pgamr/kit/testing';
import { mandatesSubgraph } from '../src/server';

/*
 * Issue 7: the lists keep their latency as the province's data grows. The subgraph runs each list
 * operation on a data set far larger than one organization's share, the statements it issued are
 * taken from its query log, and PostgreSQL's plan for each must read the large tables through
 * indexes: a Seq Scan there costs in proportion to the whole table, whatever the page size.
 */

const ORGANIZATIONS = 400;
const DOSSIERS_PER_ORGANIZATION = 100;
const DOSSIERS = ORGANIZATIONS * DOSSIERS_PER_ORGANIZATION;
// Each mandate names two dossiers of one organization in one program.
const MANDATES = DOSSIERS / 2;
const FIRMS = 40;
const MANDATAIRES = 2_000;
const LOG_ENTRIES = 40_000;
const REPORT_YEARS = 10;

const LARGE_TABLES = [
  'dossier',
  'dossier_status_change',
  'mandate',
  'mandate_dossier',
  'disclosure_event',
  'audit_event',
  'financial_report',
  'financial_report_version',
];

const PROGRAMS = ['TECQ', 'PRIMEAU', 'FIMEAU', 'PRACIM', 'RÉCIM', 'PRABAM'].map((code) => stableId('online-service', code));
const PERFORM = stableId('online-service', 'PERFORM');
const TECQ = PROGRAMS[0]!;

const programOf = (index: string) => `(array[${PROGRAMS.map((id) => `'${id}'`).join(', ')}])[1 + (${index}) % ${PROGRAMS.length}]::uuid`;

// Dossier i (1-based) belongs to organization (i - 1) / 100 and to program ((i - 1) / 2) % 6, so
// that mandate m names dossiers 2m - 1 and 2m of one organization and one program. Creation
// times are spread over five years, independently of the organization.
const INSERTS = [
  `insert into dossier (id, organization_id, service_id, title, requested_amount, status, form, created_by, created_at, updated_at)
   select ${sqlId('dossier', 'i')}, ${sqlId('organization', `(i - 1) / ${DOSSIERS_PER_ORGANIZATION}`)}, ${programOf('(i - 1) / 2')},
     (array['Réfection de la rue', 'Remplacement de l''aqueduc', 'Mise aux normes de l''usine', 'Rénovation de l''hôtel de ville',
            'Agrandissement du centre communautaire', 'Réaménagement de la bibliothèque', 'Pavage du rang'])[1 + i % 7] || ' no ' || i,
     1000 + i, (array['DRAFT', 'SUBMITTED', 'IN_REVIEW', 'ACCEPTED', 'REFUSED'])[1 + (i / 3) % 5], '{}',
     ${sqlId('member', `(i - 1) / ${DOSSIERS_PER_ORGANIZATION}`)}, t, t
   from generate_series(1, ${DOSSIERS}) i, lateral (select timestamptz '2021-01-01' + make_interval(mins => (i * 7919) % (5 * 525600)) t) created`,
  `insert into dossier_status_change (id, dossier_id, from_status, to_status, changed_by, changed_at)
   select ${sqlId('change', 'i')}, ${sqlId('dossier', 'i')}, null, 'DRAFT', ${sqlId('member', `(i - 1) / ${DOSSIERS_PER_ORGANIZATION}`)}, now()
   from generate_series(1, ${DOSSIERS}) i`,
  // Mandataire j works for firm j % 40; a third of the mandates are revoked, half have an end date.
  `insert into mandate (id, organization_id, service_id, firm_organization_id, mandataire_id, mandataire_name, level, starts_on, ends_on,
     parent_id, granted_by, granted_at, revoked_at, revoked_by)
   select ${sqlId('mandate', 'm')}, ${sqlId('organization', `(2 * m - 1) / ${DOSSIERS_PER_ORGANIZATION}`)}, ${programOf('m - 1')},
     ${sqlId('firm', `m % ${FIRMS}`)}, ${sqlId('mandataire', `m % ${MANDATAIRES}`)}, 'Mandataire ' || m % ${MANDATAIRES},
     (array['CONSULTATION', 'PREPARATION', 'TRANSMISSION'])[1 + m % 3], date '2024-01-01' + m % 700,
     case when m % 2 = 0 then date '2030-01-01' end, null, ${sqlId('member', `(2 * m - 1) / ${DOSSIERS_PER_ORGANIZATION}`)}, t,
     case when m % 3 = 0 then t + interval '30 days' end, case when m % 3 = 0 then ${sqlId('member', '0')} end
   from generate_series(1, ${MANDATES}) m, lateral (select timestamptz '2022-01-01' + make_interval(mins => (m * 7919) % (3 * 525600)) t) granted`,
  `insert into mandate_dossier (mandate_id, dossier_id)
   select ${sqlId('mandate', 'm')}, ${sqlId('dossier', '2 * m - side')} from generate_series(1, ${MANDATES}) m, generate_series(0, 1) side`,
  `insert into disclosure_event (id, occurred_at, reader_user_id, reader_organization_id, organization_id, service_id, record_type, record_id, mandate_id, role)
   select ${sqlId('disclosure', 'i')}, timestamptz '2024-01-01' + make_interval(mins => (i * 7919) % (2 * 525600)),
     ${sqlId('mandataire', `i % ${MANDATAIRES}`)}, ${sqlId('firm', `i % ${FIRMS}`)}, ${sqlId('organization', `i % ${ORGANIZATIONS}`)},
     ${programOf(`i / ${ORGANIZATIONS}`)}, 'DOSSIER', ${sqlId('dossier', `1 + i % ${DOSSIERS}`)}, ${sqlId('mandate', `1 + i % ${MANDATES}`)}, null
   from generate_series(1, ${LOG_ENTRIES}) i`,
  `insert into audit_event (id, occurred_at, actor_user_id, actor_organization_id, organization_id, service_id, action, target_type, target_id, before, after)
   select ${sqlId('audit', 'i')}, timestamptz '2021-01-01' + make_interval(mins => (i * 7919) % (5 * 525600)),
     ${sqlId('member', `i % ${ORGANIZATIONS}`)}, ${sqlId('organization', `i % ${ORGANIZATIONS}`)}, ${sqlId('organization', `i % ${ORGANIZATIONS}`)},
     ${programOf(`i / ${ORGANIZATIONS}`)}, 'DOSSIER_STATUS_CHANGED', 'Dossier', ${sqlId('dossier', `1 + i % ${DOSSIERS}`)}, null, null
   from generate_series(1, ${LOG_ENTRIES}) i`,
  `insert into financial_report (id, organization_id, fiscal_year, status, version, content, first_transmitted_at, created_by, created_at, updated_at)
   select ${sqlId('report', `k * 100 + y`)}, ${sqlId('organization', 'k')}, 2014 + y,
     case when y < ${REPORT_YEARS} then 'TRANSMITTED' else 'DRAFT' end, 1, '{}',
     case when y < ${REPORT_YEARS} then make_date(2015 + y, 5, 1) end, ${sqlId('member', 'k')}, now(), now()
   from generate_series(0, ${ORGANIZATIONS - 1}) k, generate_series(1, ${REPORT_YEARS}) y`,
  `insert into financial_report_version (id, report_id, version, content, audited_by, attested_by, transmitted_by, transmitted_at)
   select ${sqlId('report-version', `k * 100 + y`)}, ${sqlId('report', `k * 100 + y`)}, 1, '{}',
     ${sqlId('member', 'k')}, ${sqlId('member', 'k')}, ${sqlId('member', 'k')}, make_date(2015 + y, 5, 1)
   from generate_series(0, ${ORGANIZATIONS - 1}) k, generate_series(1, ${REPORT_YEARS - 1}) y`,
];

// The callers: a user of organization 7 working in every program, managing them and answering for
// PERFORM; a DGI agent; mandataire 7 and the RSÉ of the firm they work for.
const ORGANIZATION = generatedId('organization', 7);
const MEMBER = generatedId('member', 7);
const MANDATAIRE = generatedId('mandataire', 7);
const FIRM = generatedId('firm', 7);
const MINISTRY = stableId('organization', 'MIN-MAMH');

let subgraph: TestSubgraph;
let issuer: TestTokenIssuer;
const logLines: string[] = [];
type Headers = Record<string, string>;
let member: Headers;
let dgi: Headers;
let mandataire: Headers;
let firmRse: Headers;

const bearer = async (claims: Parameters<TestTokenIssuer['mint']>[0]) => ({ authorization: `Bearer ${await issuer.mint(claims)}` });

/** Runs one operation; returns its data (failing on any error) and the plans of the reads it made. */
async function planned<T = any>(query: string, variables: Record<string, unknown>, headers: Headers): Promise<{ data: T; plans: StatementPlan[] }> {
  const { result, plans } = await plannedRun(subgraph.database.orm, logLines, () => execute<T>(subgraph.url, query, variables, headers));
  expect(result.errors).toBeUndefined();
  return { data: result.data as T, plans };
}

const expectIndexReads = (plans: StatementPlan[], expected: string[]) => expectIndexReadsOf(plans, LARGE_TABLES, expected);

const organization = (fields: string) =>
  `query($id: ID!${fields.includes('$after') ? ', $after: String' : ''}) {
    _entities(representations: [{ __typename: "Organization", id: $id }]) { ... on Organization { ${fields} } } }`;

beforeAll(async () => {
  issuer = await startTestTokenIssuer();
  subgraph = await startTestSubgraph(mandatesSubgraph, { jwksUrl: issuer.jwksUrl, rightsUrl: issuer.rightsUrl, directoryUrl: issuer.directoryUrl, logLines });
  await loadInBulk(subgraph.database.orm, LARGE_TABLES, INSERTS);
  logLines.length = 0;

  for (const serviceId of PROGRAMS) {
    issuer.grant(MEMBER, { serviceId, organizationId: ORGANIZATION, role: 'USER' });
    issuer.grant(MEMBER, { serviceId, organizationId: ORGANIZATION, role: 'LOCAL_MANAGER' });
  }
  issuer.grant(MEMBER, { serviceId: PERFORM, organizationId: ORGANIZATION, role: 'MUNICIPAL_RESPONDENT' });
  const agent = stableId('user', 'MAM0000002');
  for (const serviceId of PROGRAMS) issuer.administer(agent, serviceId);
  member = await bearer({ userId: MEMBER, organizationId: ORGANIZATION });
  dgi = await bearer({ userId: agent, organizationId: MINISTRY, roles: [IdentityRole.MinistryStaff], direction: 'DGI' });
  mandataire = await bearer({ userId: MANDATAIRE, organizationId: FIRM });
  firmRse = await bearer({ userId: generatedId('firm-rse', 7), organizationId: FIRM, roles: [IdentityRole.Rse] });
});

afterAll(async () => {
  await subgraph?.close();
  await issuer?.close();
});

describe('mandates subgraph: list queries at scale read through indexes (issue 7)', () => {
  const DOSSIER_PAGE = `dossiers(first: 10, after: $after, filter: $filter) { nodes { id title status history { toStatus } } edges { cursor } pageInfo { endCursor hasNextPage } totalCount }`;

  it("an organization's dossiers, by status, program and title, page after page", async () => {
    const query = `query($id: ID!, $after: String, $filter: DossierFilter) { _entities(representations: [{ __typename: "Organization", id: $id }]) {
      ... on Organization { ${DOSSIER_PAGE} } } }`;
    for (const filter of [null, { status: 'DRAFT' }, { serviceId: TECQ }, { search: 'aqueduc' }]) {
      const first = await planned(query, { id: ORGANIZATION, filter }, member);
      const page = first.data._entities[0].dossiers;
      expect(page.nodes.length).toBeGreaterThan(0);
      expectIndexReads(first.plans, ['dossier', 'dossier_status_change']);
      const second = await planned(query, { id: ORGANIZATION, filter, after: page.pageInfo.endCursor }, member);
      expect(second.data._entities[0].dossiers.totalCount).toBe(page.totalCount);
      expectIndexReads(second.plans, ['dossier']);
    }
  });

  it("an organization's dossiers as the program owner's staff see them", async () => {
    const query = `query($id: ID!, $after: String, $filter: DossierFilter) { _entities(representations: [{ __typename: "Organization", id: $id }]) {
      ... on Organization { ${DOSSIER_PAGE} } } }`;
    const { data, plans } = await planned(query, { id: ORGANIZATION, filter: { status: 'SUBMITTED' } }, dgi);
    expect(data._entities[0].dossiers.totalCount).toBeGreaterThan(0);
    expectIndexReads(plans, ['dossier']);
  });

  it("a program's review queue across every organization, for its owner's staff", async () => {
    const query = `query($id: ID!, $after: String, $filter: DossierFilter) { _entities(representations: [{ __typename: "OnlineService", id: $id }]) {
      ... on OnlineService { ${DOSSIER_PAGE} } } }`;
    const { data, plans } = await planned(query, { id: TECQ, filter: { status: 'SUBMITTED' } }, dgi);
    expect(data._entities[0].dossiers.nodes).toHaveLength(10);
    expectIndexReads(plans, ['dossier']);
  });

  it("every dossier of the direction's programs, for its staff: the page is read in order", async () => {
    const { data, plans } = await planned(`query($after: String, $filter: DossierFilter) { ${DOSSIER_PAGE} }`, {}, dgi);
    expect(data.dossiers.totalCount).toBeGreaterThanOrEqual(DOSSIERS);
    // The count reads every dossier of the direction's programs by nature (here, all of them):
    // only a totalCount computed when asked for would spare it, so only the page is checked.
    expectIndexReads(plans.filter((plan) => !/^select count\(\*\)/.test(plan.sql)), ['dossier']);
  });

  it("a mandataire's dossiers: those of their mandates in force, each read disclosed", async () => {
    const { data, plans } = await planned(`query($after: String, $filter: DossierFilter) { ${DOSSIER_PAGE} }`, {}, mandataire);
    expect(data.dossiers.totalCount).toBeGreaterThan(0);
    expectIndexReads(plans, ['dossier', 'mandate', 'mandate_dossier']);
  });

  it('the mandates an organization gave, with their dossiers and status', async () => {
    const fields = 'mandatesGiven(first: 10, after: $after) { nodes { id status dossiers { nodes { title } totalCount } } pageInfo { endCursor } totalCount }';
    const first = await planned(organization(fields), { id: ORGANIZATION }, member);
    expect(first.data._entities[0].mandatesGiven.nodes).toHaveLength(10);
    expectIndexReads(first.plans, ['mandate', 'mandate_dossier', 'dossier']);
    const after = first.data._entities[0].mandatesGiven.pageInfo.endCursor;
    expectIndexReads((await planned(organization(fields), { id: ORGANIZATION, after }, member)).plans, ['mandate']);
  });

  it('the mandates a firm received, for its RSÉ', async () => {
    const fields = 'mandatesReceived(first: 10, after: $after) { nodes { id status } pageInfo { endCursor } totalCount }';
    const first = await planned(organization(fields), { id: FIRM }, firmRse);
    expect(first.data._entities[0].mandatesReceived.totalCount).toBe(MANDATES / FIRMS);
    expectIndexReads(first.plans, ['mandate']);
    const after = first.data._entities[0].mandatesReceived.pageInfo.endCursor;
    expectIndexReads((await planned(organization(fields), { id: FIRM, after }, firmRse)).plans, ['mandate']);
  });

  it("User.mandates: a mandataire's own mandates", async () => {
    const query = `query($id: ID!, $after: String) { _entities(representations: [{ __typename: "User", id: $id }]) {
      ... on User { mandates(first: 5, after: $after) { nodes { id status } pageInfo { endCursor } totalCount } } } }`;
    const first = await planned(query, { id: MANDATAIRE }, mandataire);
    expect(first.data._entities[0].mandates.totalCount).toBe(MANDATES / MANDATAIRES);
    expectIndexReads(first.plans, ['mandate']);
    const after = first.data._entities[0].mandates.pageInfo.endCursor;
    expectIndexReads((await planned(query, { id: MANDATAIRE, after }, mandataire)).plans, ['mandate']);
  });

  it("a page of an organization's dossiers with the mandates in force on each: through mandate_dossier, by index", async () => {
    const fields = 'dossiers(first: 10, after: $after) { nodes { id activeMandates(first: 5) { nodes { id status } pageInfo { endCursor } totalCount } } }';
    const { data, plans } = await planned(organization(fields), { id: ORGANIZATION }, member);
    expect(data._entities[0].dossiers.nodes).toHaveLength(10);
    expectIndexReads(plans, ['dossier', 'mandate', 'mandate_dossier']);
  });

  it("an organization's financial reports and its summary across years, page after page", async () => {
    const fields = `financialReports(first: 5, after: $after) { nodes { fiscalYear versions { nodes { version } totalCount } } pageInfo { endCursor } totalCount }
      financialSummary(first: 5, after: $after) { nodes { fiscalYear totalRevenue } }`;
    const first = await planned(organization(fields), { id: ORGANIZATION }, member);
    expect(first.data._entities[0].financialReports.totalCount).toBe(REPORT_YEARS);
    expect(first.data._entities[0].financialReports.nodes).toHaveLength(5);
    expectIndexReads(first.plans, ['financial_report', 'financial_report_version']);
    const after = first.data._entities[0].financialReports.pageInfo.endCursor;
    const second = await planned(organization(fields), { id: ORGANIZATION, after }, member);
    expect(second.data._entities[0].financialSummary.nodes).toHaveLength(5);
    expectIndexReads(second.plans, ['financial_report', 'financial_report_version']);
  });

  it("an organization's disclosure log and records audit trail, page after page", async () => {
    const log = 'disclosureLog(first: 10, after: $after) { nodes { recordId } pageInfo { endCursor } totalCount }';
    const firstLog = await planned(organization(log), { id: ORGANIZATION }, member);
    expect(firstLog.data._entities[0].disclosureLog.nodes).toHaveLength(10);
    expectIndexReads(firstLog.plans, ['disclosure_event']);
    const logCursor = firstLog.data._entities[0].disclosureLog.pageInfo.endCursor;
    expectIndexReads((await planned(organization(log), { id: ORGANIZATION, after: logCursor }, member)).plans, ['disclosure_event']);

    const trail = `query($id: ID!, $service: ID!, $after: String) { _entities(representations: [{ __typename: "Organization", id: $id }]) {
      ... on Organization { recordsAuditTrail(serviceId: $service, first: 10, after: $after) { nodes { action } pageInfo { endCursor } totalCount } } } }`;
    const firstTrail = await planned(trail, { id: ORGANIZATION, service: TECQ }, member);
    expect(firstTrail.data._entities[0].recordsAuditTrail.nodes).toHaveLength(10);
    expectIndexReads(firstTrail.plans, ['audit_event']);
    const trailCursor = firstTrail.data._entities[0].recordsAuditTrail.pageInfo.endCursor;
    expectIndexReads((await planned(trail, { id: ORGANIZATION, service: TECQ, after: trailCursor }, member)).plans, ['audit_event']);
  });
});
