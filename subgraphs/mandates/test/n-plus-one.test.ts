import { AuditEvent, IdentityRole, stableId } from '@pgamr/kit';
import { SUBGRAPH_LIMITS } from '@pgamr/kit/limits';
import { startTestSubgraph, startTestTokenIssuer, statementsDuring, type TestSubgraph, type TestTokenIssuer, execute } from '@pgamr/kit/testing';
import { DisclosedRecordType, DisclosureEvent } from '../src/disclosure/disclosure-event.entity';
import { Dossier, DossierStatus, DossierStatusChange } from '../src/dossier/dossier.entity';
import { Mandate, MandateDossier, MandateLevel } from '../src/mandate/mandate.entity';
import { FinancialReport, FinancialReportStatus, FinancialReportVersion } from '../src/report/financial-report.entity';
import { normalizeContent } from '../src/report/report-figures';
import { mandatesSubgraph } from '../src/server';

// Issue 7: the number of SQL statements an operation costs does not grow with the page size or
// with the number of representations in an `_entities` batch. Each case runs with 10 and with 100
// records, every field this subgraph resolves selected, and must cost exactly as many statements.

const MORE = 120;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const id = (kind: string, key: string | number) => stableId(kind, `n-plus-one:${key}`);

const TECQ = stableId('online-service', 'TECQ');
const PERFORM = stableId('online-service', 'PERFORM');
const ORG = id('organization', 'municipality');
const FIRM = id('organization', 'firm');
const AUDIT_FIRM = id('organization', 'audit-firm');
const MINISTRY = id('organization', 'ministry');
const MANAGER = id('user', 'manager');
const MANDATAIRE = id('user', 'mandataire');
const FIRM_RSE = id('user', 'firm-rse');
const AUDITOR = id('user', 'auditor');
const STAFF = id('user', 'staff');
const orgs = range(MORE).map((i) => id('organization', `org-${i}`));
const colleagues = range(MORE).map((i) => id('user', `colleague-${i}`));
const programs = range(MORE).map((i) => id('online-service', `program-${i}`));
// The organization's own TECQ dossiers (mandated to MANDATAIRE one by one), one dossier of each
// other organization, and one of the organization's dossiers in each of the other programs.
const dossiers = range(MORE).map((i) => id('dossier', `own-${i}`));
const otherDossiers = range(MORE).map((i) => id('dossier', `other-${i}`));
const programDossiers = range(MORE).map((i) => id('dossier', `program-${i}`));
const mandates = range(MORE).map((i) => id('mandate', `own-${i}`));
const otherMandates = range(MORE).map((i) => id('mandate', `other-${i}`));
const reports = range(100).map((i) => id('financial-report', `own-${i}`));
const SMALL_REPORTS_ORG = orgs[0]!;

/** Every field of a page (API v1's connection): its nodes are selected beside it. */
const PAGE_INFO = 'edges { cursor } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount';
const DOSSIER = `id title requestedAmount status isClosed missingFormFields createdAt updatedAt
  form { __typename ... on TecqForm { population priority plannedWorkStartsOn plannedWorkEndsOn }
    ... on WaterInfrastructureForm { infrastructureType populationServed plannedWorkStartsOn plannedWorkEndsOn }
    ... on CommunityInfrastructureForm { buildingName buildingUse floorArea plannedWorkStartsOn plannedWorkEndsOn } }
  organization { id } service { id } viewerPermissions { canEdit canSubmit canReview }
  history { fromStatus toStatus changedBy { id } changedAt reason }
  activeMandates { nodes { id level status mandataireName startsOn endsOn mandataire { id } } ${PAGE_INFO} }`;
const MANDATE_OWN = `id organization { id } service { id } firm { id } mandataireName mandataire { id } level startsOn endsOn
  status grantedBy { id } grantedAt revokedAt dossiers { nodes { ${DOSSIER} } ${PAGE_INFO} }`;
const MANDATE = `${MANDATE_OWN} parent { ${MANDATE_OWN} }`;
// A mandataire is shown dossiers, and each round of resolvers that shows some writes their
// disclosure entries in one insert: the parent's dossiers come one round later, and whether the
// two rounds' inserts meet in one depends on timing, not on the page size. The parent's dossiers
// are counted for the staff (nothing disclosed) in the mandates batch case.
const MANDATE_SEEN_BY_MANDATAIRE = `${MANDATE_OWN} parent { id level status startsOn endsOn grantedAt }`;
const TRAIL = `nodes { id occurredAt actor { id } action targetType targetId before after } ${PAGE_INFO}`;
const FIGURES = `auditedFinancialReport { taxRevenue transferRevenue serviceRevenue otherRevenue operatingExpenses financingExpenses
    longTermDebt accumulatedSurplus totalRevenue totalExpenses annualSurplus }
  otherFinancialInformation { population uniformAssessment employeeCount }
  forecastData { budgetedRevenue budgetedExpenses plannedCapitalExpenditures }`;
const REPORT = `id organization { id } fiscalYear status version isAmendment ${FIGURES} missingFigures auditedBy { id } auditedAt attestedBy { id }
  attestedAt firstTransmittedAt deadline isLate createdAt updatedAt
  versions { nodes { id version ${FIGURES} auditedBy { id } attestedBy { id } transmittedBy { id } transmittedAt } ${PAGE_INFO} }`;
const SUMMARY = `fiscalYear status deadline isLate transmittedVersion transmittedAt totalRevenue totalExpenses annualSurplus
  longTermDebt accumulatedSurplus population report { ${REPORT} }`;
/** An `_entities` operation; `$n` is the page size where the selection uses it. */
const entities = (selection: string) =>
  `query($r: [_Any!]!${selection.includes('$n') ? ', $n: Int' : ''}) { _entities(representations: $r) { ${selection} } }`;
const organizationList = (field: string, node: string) => entities(`... on Organization { ${field}(first: $n) { nodes { ${node} } ${PAGE_INFO} } }`);

let subgraph: TestSubgraph;
let issuer: TestTokenIssuer;
const headers: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  issuer = await startTestTokenIssuer();
  subgraph = await startTestSubgraph(mandatesSubgraph, {
    seedDemoData: false,
    jwksUrl: issuer.jwksUrl,
    rightsUrl: issuer.rightsUrl,
    directoryUrl: issuer.directoryUrl,
    // Every field at pages of 100, nested: more than the gateway lets one operation ask for, so
    // more than the subgraph's own cost limit; what is measured here is statements per batch.
    limits: { ...SUBGRAPH_LIMITS, maxCost: Number.MAX_SAFE_INTEGER },
  });
  for (const role of ['USER', 'LOCAL_MANAGER']) issuer.grant(MANAGER, { serviceId: TECQ, organizationId: ORG, role });
  for (const serviceId of [TECQ, PERFORM, ...programs]) issuer.administer(STAFF, serviceId);
  for (const organizationId of [ORG, ...orgs]) {
    issuer.grant(AUDITOR, { serviceId: PERFORM, organizationId, role: 'PERFORM_EXTERNAL_AUDITOR' });
  }
  const mint = async (userId: string, organizationId: string, extra: { roles?: string[]; direction?: string } = {}) => ({
    authorization: `Bearer ${await issuer.mint({ userId, organizationId, ...extra })}`,
  });
  headers.manager = await mint(MANAGER, ORG);
  headers.mandataire = await mint(MANDATAIRE, FIRM);
  headers.firmRse = await mint(FIRM_RSE, FIRM, { roles: [IdentityRole.Rse] });
  headers.auditor = await mint(AUDITOR, AUDIT_FIRM);
  headers.staff = await mint(STAFF, MINISTRY, { roles: [IdentityRole.MinistryStaff], direction: 'DGI' });
  await insertRecords();
});

afterAll(async () => {
  await subgraph?.close();
  await issuer?.close();
});

/** Everything in bulk, straight into the subgraph's database: a few statements, not thousands of mutations. */
async function insertRecords(): Promise<void> {
  const em = subgraph.database.orm.em.fork();
  const at = (minutesAgo: number) => new Date(Date.UTC(2026, 0, 31) - minutesAgo * 60_000);
  const dossier = (dossierId: string, organizationId: string, serviceId: string, i: number) => ({
    id: dossierId,
    organizationId,
    serviceId,
    title: `Dossier ${i}`,
    requestedAmount: `${1000 + i}.25`,
    status: i % 2 === 0 ? DossierStatus.Draft : DossierStatus.Submitted,
    form: { population: 1000 + i, priority: 'LOCAL_ROADS' },
    createdBy: MANAGER,
    createdAt: at(i),
    updatedAt: at(i),
  });
  await em.insertMany(Dossier, [
    ...dossiers.map((d, i) => dossier(d, ORG, TECQ, i)),
    ...otherDossiers.map((d, i) => dossier(d, orgs[i]!, TECQ, i)),
    ...programDossiers.map((d, i) => dossier(d, ORG, programs[i]!, i)),
  ]);
  await em.insertMany(
    DossierStatusChange,
    [...dossiers, ...otherDossiers, ...programDossiers].flatMap((d, i) => [
      { id: id('change', `${i}-created`), dossier: d, fromStatus: null, toStatus: DossierStatus.Draft, changedBy: MANAGER, changedAt: at(i), reason: null },
      { id: id('change', `${i}-submitted`), dossier: d, fromStatus: DossierStatus.Draft, toStatus: DossierStatus.Submitted, changedBy: MANAGER, changedAt: at(i), reason: 'Complet' },
    ]),
  );
  const mandate = (mandateId: string, organizationId: string, mandataireId: string, i: number, parent: string | null) => ({
    id: mandateId,
    organizationId,
    serviceId: TECQ,
    firmOrganizationId: FIRM,
    mandataireId,
    mandataireName: `Mandataire ${i}`,
    level: MandateLevel.Preparation,
    startsOn: '2024-01-01',
    endsOn: null,
    parent,
    grantedBy: MANAGER,
    grantedAt: at(i),
  });
  // Every other mandate of the organization was passed on from one of its oldest: `parent` resolves
  // too, and always in a round of its own. A parent inside the page would come from the identity
  // map instead, and the page of 10 would cost more statements than the page of 100.
  const parentOf = (i: number) => (i % 2 === 1 && i < 100 ? mandates[100 + (i % (MORE - 100))]! : null);
  await em.insertMany(Mandate, mandates.map((m, i) => mandate(m, ORG, MANDATAIRE, i, parentOf(i))));
  await em.insertMany(Mandate, otherMandates.map((m, i) => mandate(m, orgs[i]!, colleagues[i]!, i, null)));
  await em.insertMany(MandateDossier, [
    ...mandates.map((m, i) => ({ mandate: m, dossier: dossiers[i]! })),
    ...otherMandates.map((m, i) => ({ mandate: m, dossier: otherDossiers[i]! })),
  ]);
  await em.insertMany(
    DisclosureEvent,
    dossiers.map((d, i) => ({
      id: id('disclosure', i),
      occurredAt: at(i),
      readerUserId: MANDATAIRE,
      readerOrganizationId: FIRM,
      organizationId: ORG,
      serviceId: TECQ,
      recordType: DisclosedRecordType.Dossier,
      recordId: d,
      mandateId: mandates[i]!,
      role: null,
    })),
  );
  await em.insertMany(
    AuditEvent,
    [...dossiers.map((d) => [ORG, d] as const), ...otherDossiers.map((d, i) => [orgs[i]!, d] as const)].map(([organizationId, d], i) => ({
      id: id('audit', i),
      occurredAt: at(i),
      actorUserId: MANAGER,
      actorOrganizationId: organizationId,
      organizationId,
      serviceId: TECQ,
      action: 'DOSSIER_CREATED',
      targetType: 'Dossier',
      targetId: d,
      before: null,
      after: { status: 'DRAFT' },
    })),
  );
  const content = normalizeContent({
    auditedFinancialReport: {
      taxRevenue: '100.00', transferRevenue: '10.00', serviceRevenue: '5.00', otherRevenue: '1.00', operatingExpenses: '90.00',
      financingExpenses: '4.00', longTermDebt: '50.00', accumulatedSurplus: '20.00',
    },
    otherFinancialInformation: { population: 1000, uniformAssessment: '1000000.00', employeeCount: 12 },
    forecastData: { budgetedRevenue: '120.00', budgetedExpenses: '110.00', plannedCapitalExpenditures: '30.00' },
  });
  // The organization has 100 years of reports, SMALL_REPORTS_ORG 10, every other organization one.
  const reportRows = [
    ...reports.map((reportId, i) => ({ reportId, organizationId: ORG, fiscalYear: 2024 - i })),
    ...range(10).map((i) => ({ reportId: id('financial-report', `small-${i}`), organizationId: SMALL_REPORTS_ORG, fiscalYear: 2024 - i })),
    ...orgs.slice(1).map((organizationId, i) => ({ reportId: id('financial-report', `other-${i}`), organizationId, fiscalYear: 2024 })),
  ];
  await em.insertMany(
    FinancialReport,
    reportRows.map(({ reportId, organizationId, fiscalYear }) => ({
      id: reportId,
      organizationId,
      fiscalYear,
      status: FinancialReportStatus.Transmitted,
      version: 1,
      content,
      auditedBy: AUDITOR,
      auditedAt: at(1),
      attestedBy: MANAGER,
      attestedAt: at(1),
      firstTransmittedAt: at(0),
      createdBy: MANAGER,
      createdAt: at(2),
      updatedAt: at(0),
    })),
  );
  await em.insertMany(
    FinancialReportVersion,
    reportRows.map(({ reportId }) => ({
      id: id('financial-report-version', reportId),
      report: reportId,
      version: 1,
      content,
      auditedBy: AUDITOR,
      attestedBy: MANAGER,
      transmittedBy: MANAGER,
      transmittedAt: at(0),
    })),
  );
}

type Data = Record<string, any>;

interface Case {
  name: string;
  as: string;
  query: string;
  variables(n: number): Record<string, unknown>;
  /** How many records the answer holds, to check that the large run is really large. */
  size(data: Data): number;
}

const representations = (typename: string, ids: readonly string[], n: number) => ({ r: ids.slice(0, n).map((key) => ({ __typename: typename, id: key })) });
const nodesOf = (field: string) => (data: Data) => data._entities[0][field].nodes.length as number;
/** How many dossiers of an `_entities` page show at least one mandate in force (R15: each own dossier has one). */
const mandatedNodesOf = (field: string) => (data: Data) =>
  (data._entities[0][field].nodes as Data[]).filter((dossier) => dossier.activeMandates.nodes.length > 0).length;
/** How many entities of the answer were found and have every one of their lists filled. */
const complete = (lists: (entity: Data) => unknown[][]) => (data: Data) =>
  (data._entities as Array<Data | null>).filter((entity) => entity && lists(entity).every((list) => list.length > 0)).length;

// The disclosure log is read before the cases whose reads by a mandataire add to it.
const pages: Case[] = [
  {
    name: "R15, R17: an organization's dossiers with their mandates in force, for its user working in the program and managing it",
    as: 'manager',
    query: organizationList('dossiers', DOSSIER),
    variables: (n) => ({ ...representations('Organization', [ORG], 1), n }),
    size: mandatedNodesOf('dossiers'),
  },
  {
    name: 'R15: the mandates the organization gave, for its local manager',
    as: 'manager',
    query: organizationList('mandatesGiven', MANDATE),
    variables: (n) => ({ ...representations('Organization', [ORG], 1), n }),
    size: nodesOf('mandatesGiven'),
  },
  {
    name: "R16: the mandates the firm received, for the firm's RSÉ",
    as: 'firmRse',
    query: organizationList('mandatesReceived', MANDATE),
    variables: (n) => ({ ...representations('Organization', [FIRM], 1), n }),
    size: nodesOf('mandatesReceived'),
  },
  {
    name: 'R21: the disclosure log, for the organization’s manager of the service',
    as: 'manager',
    query: entities(
      `... on Organization { disclosureLog(first: $n) { nodes { occurredAt reader { id } readerOrganization { id } recordType recordId
        service { id } role mandate { ${MANDATE} } } ${PAGE_INFO} } }`,
    ),
    variables: (n) => ({ ...representations('Organization', [ORG], 1), n }),
    size: nodesOf('disclosureLog'),
  },
  {
    name: "R15: a mandataire's own mandates",
    as: 'mandataire',
    query: entities(`... on User { mandates(first: $n) { nodes { ${MANDATE_SEEN_BY_MANDATAIRE} } ${PAGE_INFO} } }`),
    variables: (n) => ({ ...representations('User', [MANDATAIRE], 1), n }),
    size: nodesOf('mandates'),
  },
  {
    name: "R21: the records' audit trail of a service, for the organization’s manager of it",
    as: 'manager',
    query: entities(`... on Organization { recordsAuditTrail(serviceId: "${TECQ}", first: $n) { ${TRAIL} } }`),
    variables: (n) => ({ ...representations('Organization', [ORG], 1), n }),
    size: nodesOf('recordsAuditTrail'),
  },
  {
    name: 'R15, R17: every dossier the caller may read (Query.dossiers)',
    as: 'manager',
    query: `query($n: Int) { dossiers(first: $n) { nodes { ${DOSSIER} } ${PAGE_INFO} } }`,
    variables: (n) => ({ n }),
    size: (data) => data.dossiers.nodes.length as number,
  },
  {
    name: "R17: a program's dossiers, for the owner's staff (OnlineService.dossiers)",
    as: 'staff',
    query: entities(`... on OnlineService { dossiers(first: $n) { nodes { ${DOSSIER} } ${PAGE_INFO} } }`),
    variables: (n) => ({ ...representations('OnlineService', [TECQ], 1), n }),
    size: nodesOf('dossiers'),
  },
  {
    name: "R18, R19: an organization's financial reports and summary, for DNIFF",
    as: 'staff',
    query: entities(`... on Organization { financialReports(first: $n) { nodes { ${REPORT} } ${PAGE_INFO} }
      financialSummary(first: $n) { nodes { ${SUMMARY} } ${PAGE_INFO} } }`),
    variables: (n) => ({ ...representations('Organization', [ORG], 1), n }),
    size: nodesOf('financialReports'),
  },
];

const batches: Case[] = [
  {
    name: "R17: dossiers with their mandates in force, for the owner's staff",
    as: 'staff',
    query: entities(`... on Dossier { ${DOSSIER} }`),
    variables: (n) => representations('Dossier', dossiers, n),
    size: complete((d) => [d.activeMandates.nodes as unknown[]]),
  },
  {
    name: 'R15: dossiers with their own mandate in force, for their mandataire, every read written to the disclosure log',
    as: 'mandataire',
    query: entities(`... on Dossier { ${DOSSIER} }`),
    variables: (n) => representations('Dossier', dossiers, n),
    size: complete((d) => [d.activeMandates.nodes as unknown[]]),
  },
  {
    name: "R15, R16: mandates, for the owner's staff",
    as: 'staff',
    query: entities(`... on Mandate { ${MANDATE} }`),
    variables: (n) => representations('Mandate', mandates, n),
    size: complete(() => []),
  },
  {
    name: 'R18: financial reports, for DNIFF',
    as: 'staff',
    query: entities(`... on FinancialReport { ${REPORT} }`),
    variables: (n) => representations('FinancialReport', reports, n),
    size: complete(() => []),
  },
  {
    name: "R13, R20: financial reports, for a firm's external auditor, every read written to the disclosure log",
    as: 'auditor',
    query: entities(`... on FinancialReport { ${REPORT} }`),
    variables: (n) => representations('FinancialReport', reports, n),
    size: complete(() => []),
  },
  {
    name: "R15, R17, R18, R21: organizations with their dossiers, mandates, trail and reports, for the owner's staff",
    as: 'staff',
    query: entities(`... on Organization { id
      dossiers(first: 10) { nodes { ${DOSSIER} } ${PAGE_INFO} }
      mandatesGiven(first: 10) { nodes { ${MANDATE} } ${PAGE_INFO} }
      recordsAuditTrail(serviceId: "${TECQ}", first: 10) { ${TRAIL} }
      financialReports(first: 10) { nodes { ${REPORT} } ${PAGE_INFO} } financialSummary(first: 10) { nodes { ${SUMMARY} } ${PAGE_INFO} } }`),
    variables: (n) => representations('Organization', orgs, n),
    size: complete((o) =>
      [o.dossiers.nodes, o.mandatesGiven.nodes, o.recordsAuditTrail.nodes, o.financialReports.nodes, o.financialSummary.nodes] as unknown[][],
    ),
  },
  {
    name: "R15, R16: the firm's users with their mandates, for the firm's RSÉ",
    as: 'firmRse',
    query: entities(`... on User { id mandates(first: 10) { nodes { ${MANDATE} } ${PAGE_INFO} } }`),
    variables: (n) => representations('User', colleagues, n),
    size: complete((u) => [u.mandates.nodes as unknown[]]),
  },
  {
    name: "R17: programs with their dossiers, for the owner's staff",
    as: 'staff',
    query: entities(`... on OnlineService { id dossiers(first: 10) { nodes { ${DOSSIER} } ${PAGE_INFO} } }`),
    variables: (n) => representations('OnlineService', programs, n),
    size: complete((s) => [s.dossiers.nodes as unknown[]]),
  },
];

/** Runs one case at one size: the statements it cost, the decision point calls, the records answered. */
async function measure(testCase: Case, n: number) {
  const rightsBefore = issuer.rightsCalls();
  const { statements, result } = await statementsDuring(subgraph.origin, () =>
    execute<Data>(subgraph.url, testCase.query, testCase.variables(n), headers[testCase.as]),
  );
  expect(result.errors).toBeUndefined();
  return { statements, rightsCalls: issuer.rightsCalls() - rightsBefore, size: testCase.size(result.data!) };
}

async function expectConstant(testCase: Case) {
  const small = await measure(testCase, 10);
  const large = await measure(testCase, 100);
  expect([small.size, large.size]).toEqual([10, 100]);
  expect(large.statements).toBe(small.statements);
  // The decision point is asked once per request, whatever the number of records checked.
  expect([small.rightsCalls, large.rightsCalls]).toEqual([1, 1]);
}

describe('mandates subgraph: as many SQL statements for 100 records as for 10 (issue 7)', () => {
  it.each(pages)('a page of 10, then 100: $name', expectConstant);

  it.each(batches)('a batch of 10, then 100 representations: $name', expectConstant);

  it("keeps findPage's pages, cursors and counts when pages of several parents are read at once", async () => {
    interface ListPage {
      nodes: Array<{ id: string }>;
      pageInfo: { endCursor: string | null; hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null };
      totalCount: number;
    }
    const walk = async (query: string, pick: (data: Data) => ListPage) => {
      const seen: Array<{ ids: string[]; endCursor: string | null; hasNextPage: boolean; totalCount: number }> = [];
      let after: string | null = null;
      do {
        const { data, errors } = await execute<Data>(subgraph.url, query, { r: [{ __typename: 'Organization', id: ORG }], after }, headers.manager);
        expect(errors).toBeUndefined();
        const page = pick(data!);
        seen.push({ ids: page.nodes.map((node) => node.id), ...page.pageInfo, totalCount: page.totalCount });
        after = page.pageInfo.endCursor;
      } while (seen.at(-1)!.hasNextPage);
      return seen;
    };
    const fields = `nodes { id } ${PAGE_INFO}`;
    const batched = await walk(
      `query($r: [_Any!]!, $after: String) { _entities(representations: $r) { ... on Organization { dossiers(first: 25, after: $after) { ${fields} } } } }`,
      (data) => data._entities[0].dossiers as ListPage,
    );
    // Query.dossiers pages with findPage; the manager reads exactly the organization's TECQ dossiers there too.
    const single = await walk(`query($after: String) { dossiers(first: 25, after: $after) { ${fields} } }`, (data) => data.dossiers as ListPage);
    expect(batched).toEqual(single);
    expect(batched.map((page) => page.ids.length)).toEqual([25, 25, 25, 25, 20]);
    expect(batched.flatMap((page) => page.ids)).toEqual(dossiers);
    expect(batched[0]!.totalCount).toBe(MORE);
  });

  it('answers each parent of a batch with its own page, as if asked alone', async () => {
    const query = entities(`... on Organization { dossiers(first: 3) { nodes { id } ${PAGE_INFO} } }`);
    const parents = [ORG, orgs[5]!, orgs[7]!, id('organization', 'without-dossiers')];
    const together = await execute<Data>(subgraph.url, query, representations('Organization', parents, parents.length), headers.staff);
    const alone = await Promise.all(
      parents.map((parent) => execute<Data>(subgraph.url, query, representations('Organization', [parent], 1), headers.staff)),
    );
    expect(together.data!._entities).toEqual(alone.map((answer) => answer.data!._entities[0] as Data));
    expect((together.data!._entities as Data[]).map((o) => o.dossiers.totalCount as number)).toEqual([2 * MORE, 1, 1, 0]);
  });
});
