import { ServiceCode, stableId } from '@pgamr/kit';
import { statementsDuring } from '@pgamr/kit/testing';
import { execute } from './support/graphql';
import { bearer, signIn } from './support/session';
import { startStack, type Stack } from './support/stack';

// Issue 18: figures on the pending access requests, through the gateway, for each kind of reader,
// checked against the same figures worked out here from the rows themselves (R8, R10, R20).

let stack: Stack;
type Headers = Record<string, string>;

const ORGANIZATIONS = ['MUN-45072', 'MUN-43027', 'MUN-23027', 'MUN-25213'].map((key) => stableId('organization', key));
const [MAGOG, SHERBROOKE] = ORGANIZATIONS as [string, string];
const DGI_PROGRAMS = [ServiceCode.Tecq, ServiceCode.Primeau, ServiceCode.Fimeau, ServiceCode.Pracim, ServiceCode.Recim, ServiceCode.Prabam].map((code) =>
  stableId('online-service', code),
);
const [TECQ, PRIMEAU, , , RECIM] = DGI_PROGRAMS as [string, string, string, string, string, string];
const PERFORM = stableId('online-service', ServiceCode.Perform);
const CUSTOMER_DATA = stableId('online-service', ServiceCode.CustomerDataUpdate);
const SERVICES = [...DGI_PROGRAMS, PERFORM, CUSTOMER_DATA];
const STATUSES = ['PENDING', 'PENDING', 'PENDING', 'GRANTED', 'REFUSED', 'CANCELLED'] as const;
const GENERATED = 480;

const STATISTICS = `query Statistics($groupBy: [AccessRequestStatisticsDimension!]!, $filter: AccessRequestStatisticsFilter) {
  accessRequestStatistics(groupBy: $groupBy, filter: $filter) {
    groups { service { id code } kind organization { id } pendingCount medianAgeDays oldestAgeDays }
    total { service { id } kind organization { id } pendingCount medianAgeDays oldestAgeDays }
  }
}`;

interface Figures {
  pendingCount: number;
  medianAgeDays: number | null;
  oldestAgeDays: number | null;
}

/** A request as the figures see it, read straight from its table. */
interface RequestFacts {
  serviceId: string;
  organizationId: string;
  kind: 'LOCAL_MANAGER' | 'ACCESS';
  status: string;
  createdAt: Date;
}

const gateway = (variables: Record<string, unknown>, headers: Headers) => execute<any>(stack.gatewayUrl, STATISTICS, variables, headers);
const as = async (code: string) => bearer(await signIn(stack.gatewayUrl, code));
const codeOf = (response: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => response.errors?.[0]?.extensions?.code;
const sql = (query: string, params: unknown[] = []) =>
  stack.subgraphs.services.database.orm.em.getConnection().execute<Array<Record<string, unknown>>>(query, params);

/**
 * Requests of four municipalities on the MAMH's eight services, of both kinds, pending or decided,
 * filed over the last hundred days: the generated data the figures are checked on. Each comes from
 * its own (made-up) user, as at most one request per user and service may wait (R8).
 */
async function generateRequests(): Promise<void> {
  await sql(
    `insert into access_request (id, user_id, organization_id, service_id, kind, status, created_at, decided_at)
     select md5('ars-request-' || i)::uuid, md5('ars-user-' || i)::uuid, (?::uuid[])[1 + i % 4], (?::uuid[])[1 + (i / 4) % 8],
            case when i % 3 = 0 then 'LOCAL_MANAGER' else 'ACCESS' end, (?::text[])[1 + (i / 32) % 6],
            now() - (i * 5 + (i * 37) % 11) * interval '1 hour',
            case when (?::text[])[1 + (i / 32) % 6] = 'PENDING' then null else now() - interval '1 hour' end
       from generate_series(1, ${GENERATED}) i`,
    [`{${ORGANIZATIONS.join(',')}}`, `{${SERVICES.join(',')}}`, `{${STATUSES.join(',')}}`, `{${STATUSES.join(',')}}`],
  );
  // R10: two deputies of Magog: one on PRIMEAU inside their period, one on TECQ whose period ended.
  const grantor = stableId('user', 'MAG0000001');
  await sql(
    `insert into access_right (id, user_id, organization_id, service_id, role, valid_from, valid_until, granted_by, granted_at)
     values (md5('ars-deputy-in')::uuid, ?, ?, ?, 'DEPUTY_MANAGER', now() - interval '2 days', now() + interval '20 days', ?, now() - interval '2 days'),
            (md5('ars-deputy-out')::uuid, ?, ?, ?, 'DEPUTY_MANAGER', now() - interval '30 days', now() - interval '1 day', ?, now() - interval '30 days')`,
    [stableId('user', 'MAG0000004'), MAGOG, PRIMEAU, grantor, stableId('user', 'MAG0000003'), MAGOG, TECQ, grantor],
  );
}

/** Every access request of the services database (the demo ones too), with its service's owner direction. */
async function allRequests(): Promise<Array<RequestFacts & { ownerDirection: string }>> {
  const rows = await sql(
    `select r.service_id, r.organization_id, r.kind, r.status, r.created_at, s.owner_direction_code
       from access_request r join online_service s on s.id = r.service_id`,
  );
  return rows.map((row) => ({
    serviceId: String(row.service_id),
    organizationId: String(row.organization_id),
    kind: row.kind as RequestFacts['kind'],
    status: String(row.status),
    createdAt: new Date(row.created_at as string | Date),
    ownerDirection: String(row.owner_direction_code),
  }));
}

/** The figures of `requests`, worked out here: the median and the maximum of their ages in days. */
function figuresOf(requests: readonly RequestFacts[], now: Date): Figures {
  const ages = requests.map((request) => (now.getTime() - request.createdAt.getTime()) / 86_400_000).sort((a, b) => a - b);
  const middle = ages.length / 2;
  const median = ages.length === 0 ? null : ages.length % 2 === 1 ? ages[Math.floor(middle)]! : (ages[middle - 1]! + ages[middle]!) / 2;
  const round = (value: number | null) => (value === null ? null : Math.round(value * 100) / 100);
  return { pendingCount: requests.length, medianAgeDays: round(median), oldestAgeDays: round(ages.at(-1) ?? null) };
}

type Group = Figures & Record<string, unknown>;

/** Expected groups by service and kind, in the answer's order (service id, then kind). */
function byServiceAndKind(requests: readonly RequestFacts[], now: Date): Group[] {
  const keys = [...new Set(requests.map((request) => `${request.serviceId}|${request.kind}`))].sort();
  return keys.map((key) => {
    const [serviceId, kind] = key.split('|') as [string, string];
    return { service: { id: serviceId }, kind, organization: null, ...figuresOf(requests.filter((r) => r.serviceId === serviceId && r.kind === kind), now) };
  });
}

/** The ages depend on when each side read the clock: compared to within a hundredth of a day or two. */
function expectSameFigures(actual: Group[], expected: Group[]): void {
  const withoutAges = ({ medianAgeDays: _median, oldestAgeDays: _oldest, ...rest }: Group) => rest;
  expect(actual.map(withoutAges)).toEqual(expected.map(withoutAges));
  actual.forEach((group, index) => {
    for (const field of ['medianAgeDays', 'oldestAgeDays'] as const) {
      const wanted = expected[index]![field];
      if (wanted === null) expect(group[field]).toBeNull();
      else expect(Math.abs(group[field]! - wanted)).toBeLessThanOrEqual(0.02);
    }
  });
}

const pending = <T extends RequestFacts>(requests: readonly T[]): T[] => requests.filter((request) => request.status === 'PENDING');
const withoutCode = (groups: Group[]): Group[] =>
  groups.map(({ service, ...rest }) => ({ ...rest, service: service ? { id: (service as { id: string }).id } : null }));

let dgi: Headers;
let dniff: Headers;
let dgomr: Headers;
let regional: Headers;
let cse: Headers;
let magogManager: Headers;
let sherbrookeManager: Headers;
let deputyInPeriod: Headers;
let deputyAfterPeriod: Headers;
let magogUser: Headers;
let mandataire: Headers;

beforeAll(async () => {
  stack = await startStack();
  await generateRequests();
  [dgi, dniff, dgomr, regional, cse, magogManager, sherbrookeManager, deputyInPeriod, deputyAfterPeriod, magogUser, mandataire] = await Promise.all([
    as('MAM0000002'),
    as('MAM0000003'),
    as('MAM0000001'),
    as('MAM0000004'),
    as('CSE0000001'),
    as('MAG0000001'),
    as('SHE0000001'),
    as('MAG0000004'),
    as('MAG0000003'),
    as('MAG0000002'),
    as('GCE0000002'),
  ]);
});

afterAll(async () => {
  await stack?.close();
});

describe('accessRequestStatistics: the same figures as the rows, for each kind of reader (issue 18, R8, R10, R20)', () => {
  it("R8: the DGI's staff get the pending requests to become local manager of the DGI's services, from every organization, never the ordinary ones", async () => {
    const response = await gateway({ groupBy: ['SERVICE', 'KIND'] }, dgi);
    const now = new Date();
    expect(response.errors).toBeUndefined();
    const inScope = pending(await allRequests()).filter((request) => request.ownerDirection === 'DGI' && request.kind === 'LOCAL_MANAGER');
    expect(inScope.length).toBeGreaterThan(20);
    expectSameFigures(withoutCode(response.data.accessRequestStatistics.groups), byServiceAndKind(inScope, now));
    expect(response.data.accessRequestStatistics.groups[0].service.code).toBeDefined();
    expectSameFigures([response.data.accessRequestStatistics.total], [{ service: null, kind: null, organization: null, ...figuresOf(inScope, now) }]);
  });

  it('R8: the DNIFF gets PERFORM’s and the DGOMR the portal service’s requests to become local manager, by organization', async () => {
    const requests = pending(await allRequests());
    for (const [reader, serviceId] of [
      [dniff, PERFORM],
      [dgomr, CUSTOMER_DATA],
    ] as const) {
      const response = await gateway({ groupBy: ['ORGANIZATION'] }, reader);
      const now = new Date();
      expect(response.errors).toBeUndefined();
      const inScope = requests.filter((request) => request.serviceId === serviceId && request.kind === 'LOCAL_MANAGER');
      expect(inScope.length).toBeGreaterThan(0);
      const organizations = [...new Set(inScope.map((request) => request.organizationId))].sort();
      expectSameFigures(
        response.data.accessRequestStatistics.groups,
        organizations.map((id) => ({
          service: null,
          kind: null,
          organization: { id },
          ...figuresOf(inScope.filter((request) => request.organizationId === id), now),
        })),
      );
    }
  });

  it("R8: Magog's local manager for TECQ gets Magog's ordinary TECQ requests only; Sherbrooke's for RÉCIM, Sherbrooke's RÉCIM ones", async () => {
    const requests = pending(await allRequests());
    for (const [reader, organizationId, serviceId] of [
      [magogManager, MAGOG, TECQ],
      [sherbrookeManager, SHERBROOKE, RECIM],
    ] as const) {
      const response = await gateway({ groupBy: ['SERVICE', 'KIND'] }, reader);
      expect(response.errors).toBeUndefined();
      const inScope = requests.filter((request) => request.organizationId === organizationId && request.serviceId === serviceId && request.kind === 'ACCESS');
      expect(inScope.length).toBeGreaterThan(0);
      expectSameFigures(withoutCode(response.data.accessRequestStatistics.groups), byServiceAndKind(inScope, new Date()));
    }
  });

  it("R10: a deputy inside their period gets their organization's ordinary requests on that service; after it, FORBIDDEN", async () => {
    const response = await gateway({ groupBy: ['SERVICE', 'ORGANIZATION', 'KIND'] }, deputyInPeriod);
    expect(response.errors).toBeUndefined();
    const inScope = pending(await allRequests()).filter((request) => request.organizationId === MAGOG && request.serviceId === PRIMEAU && request.kind === 'ACCESS');
    expect(inScope.length).toBeGreaterThan(0);
    expectSameFigures(response.data.accessRequestStatistics.groups, [
      { service: { id: PRIMEAU, code: ServiceCode.Primeau }, kind: 'ACCESS', organization: { id: MAGOG }, ...figuresOf(inScope, new Date()) },
    ]);
    const after = await gateway({ groupBy: [] }, deputyAfterPeriod);
    expect(codeOf(after)).toBe('FORBIDDEN');
    expect(after.data?.accessRequestStatistics ?? null).toBeNull();
  });

  it('filters by service, kind and organization, with the total only when no dimension is asked', async () => {
    const filter = { serviceIds: [TECQ, RECIM, PERFORM], kinds: ['LOCAL_MANAGER'], organizationIds: [MAGOG, SHERBROOKE] };
    const response = await gateway({ groupBy: [], filter }, dgi);
    expect(response.errors).toBeUndefined();
    // PERFORM is the DNIFF's: the filter narrows the reader's scope, never widens it.
    const inScope = pending(await allRequests()).filter(
      (request) => [TECQ, RECIM].includes(request.serviceId) && request.kind === 'LOCAL_MANAGER' && [MAGOG, SHERBROOKE].includes(request.organizationId),
    );
    expect(inScope.length).toBeGreaterThan(0);
    expect(response.data.accessRequestStatistics.groups).toEqual([]);
    expectSameFigures([response.data.accessRequestStatistics.total], [{ service: null, kind: null, organization: null, ...figuresOf(inScope, new Date()) }]);
  });

  it('filters by filing days in Québec, both included, and refuses a period that ends before it starts', async () => {
    const quebecDay = (instant: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Toronto' }).format(instant);
    const createdFrom = quebecDay(new Date(Date.now() - 40 * 86_400_000));
    const createdUntil = quebecDay(new Date(Date.now() - 10 * 86_400_000));
    const response = await gateway({ groupBy: ['KIND'], filter: { createdFrom, createdUntil } }, dgi);
    expect(response.errors).toBeUndefined();
    const inScope = pending(await allRequests()).filter(
      (request) =>
        request.ownerDirection === 'DGI' &&
        request.kind === 'LOCAL_MANAGER' &&
        quebecDay(request.createdAt) >= createdFrom &&
        quebecDay(request.createdAt) <= createdUntil,
    );
    expect(inScope.length).toBeGreaterThan(5);
    expectSameFigures(response.data.accessRequestStatistics.groups, [{ service: null, kind: 'LOCAL_MANAGER', organization: null, ...figuresOf(inScope, new Date()) }]);
    const backwards = await gateway({ groupBy: [], filter: { createdFrom: createdUntil, createdUntil: createdFrom } }, dgi);
    expect(codeOf(backwards)).toBe('BAD_USER_INPUT');
    expect(backwards.errors?.[0]?.extensions?.field).toBe('filter.createdUntil');
  });

  it('R20: a regional direction, the clicSÉQUR customer service, a plain user and a mandataire get no figures: FORBIDDEN', async () => {
    for (const reader of [regional, cse, magogUser, mandataire]) {
      const response = await gateway({ groupBy: ['SERVICE'] }, reader);
      expect(codeOf(response)).toBe('FORBIDDEN');
      expect(response.data?.accessRequestStatistics ?? null).toBeNull();
    }
  });

  it("costs two SQL statements in services, the reader's scope (with the services it covers) and the figures, the groups' services included, whatever their number", async () => {
    const services = stack.subgraphs.services.origin;
    const figures = await statementsDuring(services, () => gateway({ groupBy: ['KIND', 'ORGANIZATION'] }, dgi));
    expect(figures.result.errors).toBeUndefined();
    expect(figures.statements).toBeLessThanOrEqual(2);
    const withServices = await statementsDuring(services, () => gateway({ groupBy: ['SERVICE', 'ORGANIZATION'] }, dgi));
    expect(withServices.result.data.accessRequestStatistics.groups.length).toBeGreaterThan(10);
    expect(withServices.statements).toBeLessThanOrEqual(2);
  });

  it('refuses a dimension asked twice, more than 100 values in a filter, and more than 1,000 groups, with the field at fault', async () => {
    const twice = await gateway({ groupBy: ['KIND', 'KIND'] }, dgi);
    expect(codeOf(twice)).toBe('BAD_USER_INPUT');
    expect(twice.errors?.[0]?.extensions?.field).toBe('groupBy');
    const many = await gateway({ groupBy: [], filter: { organizationIds: Array.from({ length: 101 }, (_, i) => stableId('organization', `ARS-${i}`)) } }, dgi);
    expect(codeOf(many)).toBe('BAD_USER_INPUT');
    expect(many.errors?.[0]?.extensions?.field).toBe('filter.organizationIds');
    // 1,001 more organizations, each with a first request on TECQ.
    await sql(
      `insert into access_request (id, user_id, organization_id, service_id, kind, status, created_at)
       select md5('ars-many-' || i)::uuid, md5('ars-many-user-' || i)::uuid, md5('ars-many-organization-' || i)::uuid, ?, 'LOCAL_MANAGER', 'PENDING', now()
         from generate_series(1, 1001) i`,
      [TECQ],
    );
    const tooMany = await gateway({ groupBy: ['ORGANIZATION'] }, dgi);
    expect(codeOf(tooMany)).toBe('BAD_USER_INPUT');
    expect(tooMany.errors?.[0]?.extensions?.field).toBe('groupBy');
    expect((await gateway({ groupBy: [] }, dgi)).data.accessRequestStatistics.total.pendingCount).toBeGreaterThan(1001);
  });
});
