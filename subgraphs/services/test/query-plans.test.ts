import { IdentityRole, RIGHTS_PATH, stableId } from '@pgamr/kit';
import { startTestSubgraph, startTestTokenIssuer, type TestSubgraph, type TestTokenIssuer, execute, expectIndexReads as expectIndexReadsOf, generatedId, generatedIdSql as sqlId, loadInBulk, planned as plannedRun, plansOf, type StatementPlan } from '@pgamr/kit/testing';
import { servicesSubgraph } from '../src/server';

/*
 * Issue 7: the rights every request of every subgraph asks for, « Mes services en ligne » and the
 * managers' lists keep their latency as the portal's rights, requests and audit trail grow. The
 * subgraph runs each operation on a data set far larger than one organization's share; the
 * statements it issued are taken from its query log, and PostgreSQL's plan for each must read the
 * large tables through indexes (a Seq Scan costs in proportion to the whole table). The catalog
 * is left out: a few dozen services, read whole, where a Seq Scan is the right plan.
 */

const ORGANIZATIONS = 400;
const USERS = 20_000;
const RIGHTS_PER_USER = 3;
const REQUESTS = 40_000;
const AUDIT_ENTRIES = 40_000;

const LARGE_TABLES = ['access_right', 'access_request', 'audit_event'];

const PROGRAMS = ['TECQ', 'PRIMEAU', 'FIMEAU', 'PRACIM', 'RÉCIM', 'PRABAM'].map((code) => stableId('online-service', code));
const TECQ = PROGRAMS[0]!;

const programOf = (index: string) => `(array[${PROGRAMS.map((id) => `'${id}'`).join(', ')}])[1 + (${index}) % ${PROGRAMS.length}]::uuid`;

// User i works for organization i % 400 in three programs (by rank in the organization, so each
// organization has users in every program), one right in four since revoked; the
// organization's first user is its local manager in every program (one per service and
// organization, R8). One request in ten is pending, at most one per user and service.
const INSERTS = [
  `insert into access_right (id, user_id, organization_id, service_id, role, valid_from, valid_until, granted_by, granted_at, revoked_at, revoked_by)
   select ${sqlId('right', `i * ${RIGHTS_PER_USER} + r`)}, ${sqlId('user', 'i')}, ${sqlId('organization', `i % ${ORGANIZATIONS}`)},
     ${programOf(`i / ${ORGANIZATIONS} + r`)}, 'USER', t, null, ${sqlId('user', `i % ${ORGANIZATIONS}`)}, t,
     case when (i + r) % 4 = 0 then t + interval '90 days' end, case when (i + r) % 4 = 0 then ${sqlId('user', `i % ${ORGANIZATIONS}`)} end
   from generate_series(0, ${USERS - 1}) i, generate_series(0, ${RIGHTS_PER_USER - 1}) r,
     lateral (select timestamptz '2021-01-01' + make_interval(mins => (i * 7919 + r) % (4 * 525600)) t) granted`,
  `insert into access_right (id, user_id, organization_id, service_id, role, valid_from, valid_until, granted_by, granted_at, revoked_at, revoked_by)
   select ${sqlId('manager', `k * 10 + p`)}, ${sqlId('user', 'k')}, ${sqlId('organization', 'k')}, ${programOf('p')}, 'LOCAL_MANAGER',
     timestamptz '2021-01-01', null, ${sqlId('staff', '0')}, timestamptz '2021-01-01', null, null
   from generate_series(0, ${ORGANIZATIONS - 1}) k, generate_series(0, ${PROGRAMS.length - 1}) p`,
  `insert into access_request (id, user_id, organization_id, service_id, kind, status, reason, created_at, decided_at, decided_by)
   select ${sqlId('request', 'i')}, ${sqlId('user', `i % ${USERS}`)}, ${sqlId('organization', `i % ${ORGANIZATIONS}`)},
     ${programOf(`i / ${USERS}`)}, case when i % 20 = 0 then 'LOCAL_MANAGER' else 'ACCESS' end,
     case when (i / ${ORGANIZATIONS}) % 10 = 0 then 'PENDING' else 'GRANTED' end, null, t,
     case when (i / ${ORGANIZATIONS}) % 10 <> 0 then t + interval '2 days' end, null
   from generate_series(0, ${REQUESTS - 1}) i, lateral (select timestamptz '2021-01-01' + make_interval(mins => (i * 7919) % (4 * 525600)) t) created`,
  `insert into audit_event (id, occurred_at, actor_user_id, actor_organization_id, organization_id, service_id, action, target_type, target_id, before, after)
   select ${sqlId('audit', 'i')}, timestamptz '2021-01-01' + make_interval(mins => (i * 7919) % (5 * 525600)),
     ${sqlId('user', `i % ${ORGANIZATIONS}`)}, ${sqlId('organization', `i % ${ORGANIZATIONS}`)}, ${sqlId('organization', `i % ${ORGANIZATIONS}`)},
     ${programOf(`i / ${ORGANIZATIONS}`)}, 'ACCESS_REQUEST_GRANTED', 'AccessRight', ${sqlId('right', `i % ${USERS}`)}, null, null
   from generate_series(0, ${AUDIT_ENTRIES - 1}) i`,
];

// The callers: user 7, local manager of organization 7 in every program; a DGI agent.
const ORGANIZATION = generatedId('organization', 7);
const MANAGER = generatedId('user', 7);

let subgraph: TestSubgraph;
let issuer: TestTokenIssuer;
const logLines: string[] = [];
type Headers = Record<string, string>;
let manager: Headers;
let dgi: Headers;

const bearer = async (claims: Parameters<TestTokenIssuer['mint']>[0]) => ({ authorization: `Bearer ${await issuer.mint(claims)}` });

/** Runs one operation; returns its data (failing on any error) and the plans of the reads it made. */
async function planned<T = any>(query: string, variables: Record<string, unknown>, headers: Headers): Promise<{ data: T; plans: StatementPlan[] }> {
  const { result, plans } = await plannedRun(subgraph.database.orm, logLines, () => execute<T>(subgraph.url, query, variables, headers));
  expect(result.errors).toBeUndefined();
  return { data: result.data as T, plans };
}

const expectIndexReads = (plans: StatementPlan[], expected: string[]) => expectIndexReadsOf(plans, LARGE_TABLES, expected);

beforeAll(async () => {
  issuer = await startTestTokenIssuer();
  subgraph = await startTestSubgraph(servicesSubgraph, { jwksUrl: issuer.jwksUrl, logLines });
  await loadInBulk(subgraph.database.orm, LARGE_TABLES, INSERTS);
  logLines.length = 0;
  manager = await bearer({ userId: MANAGER, organizationId: ORGANIZATION });
  dgi = await bearer({ userId: stableId('user', 'MAM0000002'), organizationId: stableId('organization', 'MIN-MAMH'), roles: [IdentityRole.MinistryStaff], direction: 'DGI' });
});

afterAll(async () => {
  await subgraph?.close();
  await issuer?.close();
});

describe('services subgraph: rights and lists at scale read through indexes (issue 7)', () => {
  it("the decision point: the caller's rights in force, asked by every subgraph on every request", async () => {
    let body: { rights: unknown[] } | undefined;
    const plans = await plansOf(subgraph.database.orm, logLines, async () => {
      const response = await fetch(`${subgraph.origin}${RIGHTS_PATH}`, { headers: manager });
      expect(response.status).toBe(200);
      body = (await response.json()) as { rights: unknown[] };
    });
    expect(body!.rights.length).toBeGreaterThan(PROGRAMS.length);
    expectIndexReads(plans, ['access_right']);
  });

  it('R9: « Mes services en ligne », by sector', async () => {
    const { data, plans } = await planned(
      `query($id: ID!) { _entities(representations: [{ __typename: "User", id: $id }]) {
        ... on User { onlineServices { sector { name } services { service { code } roles } } } } }`,
      { id: MANAGER },
      manager,
    );
    expect(data._entities[0].onlineServices.length).toBeGreaterThan(0);
    expectIndexReads(plans, ['access_right']);
  });

  it("R8: an organization's rights on a service, for its local manager", async () => {
    const { data, plans } = await planned(
      'query($service: ID!, $organization: ID!) { accessRights(serviceId: $service, organizationId: $organization) { nodes { role user { id } } } }',
      { service: TECQ, organization: ORGANIZATION },
      manager,
    );
    expect(data.accessRights.nodes.length).toBeGreaterThan(1);
    expectIndexReads(plans, ['access_right']);
  });

  it('R8: pending requests, for the local manager and for the owner’s staff; and a user’s own', async () => {
    const pending = 'query($service: ID!) { pendingAccessRequests(serviceId: $service) { nodes { kind organization { id } } } }';
    const forManager = await planned(pending, { service: TECQ }, manager);
    expect(forManager.data.pendingAccessRequests.nodes.length).toBeGreaterThan(0);
    expectIndexReads(forManager.plans, ['access_right', 'access_request']);

    const forOwner = await planned(pending, { service: TECQ }, dgi);
    expect(forOwner.data.pendingAccessRequests.nodes.length).toBeGreaterThan(0);
    expectIndexReads(forOwner.plans, ['access_request']);

    const own = await planned('{ myAccessRequests { nodes { kind status } } }', {}, manager);
    expect(own.data.myAccessRequests.nodes.length).toBeGreaterThan(0);
    expectIndexReads(own.plans, ['access_request']);
  });

  it('R12: who manages access, with the deputies in their period', async () => {
    const { data, plans } = await planned(
      `query($service: ID!, $organization: ID!) { localManager(serviceId: $service, organizationId: $organization) {
        hasLocalManager localManager { id } activeDeputies { totalCount nodes { id } } } }`,
      { service: TECQ, organization: ORGANIZATION },
      manager,
    );
    expect(data.localManager).toMatchObject({ hasLocalManager: true, localManager: { id: MANAGER } });
    expectIndexReads(plans, ['access_right']);
  });

  it("R21: an organization's trail on a service, page after page", async () => {
    const query = `query($service: ID!, $organization: ID!, $after: String) {
      serviceAuditTrail(serviceId: $service, organizationId: $organization, first: 10, after: $after) { nodes { action } pageInfo { endCursor } } }`;
    const first = await planned(query, { service: TECQ, organization: ORGANIZATION }, manager);
    expect(first.data.serviceAuditTrail.nodes).toHaveLength(10);
    expectIndexReads(first.plans, ['access_right', 'audit_event']);
    const after = first.data.serviceAuditTrail.pageInfo.endCursor;
    expectIndexReads((await planned(query, { service: TECQ, organization: ORGANIZATION, after }, manager)).plans, ['audit_event']);
  });
});
