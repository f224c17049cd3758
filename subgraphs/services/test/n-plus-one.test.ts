import { AuditEvent, RIGHTS_PATH, ServiceRole, stableId } from '@pgamr/kit';
import { startTestSubgraph, startTestTokenIssuer, statementsDuring, type TestSubgraph, type TestTokenIssuer, execute } from '@pgamr/kit/testing';
import { AccessRequest, AccessRequestKind, AccessRequestStatus, AccessRight } from '../src/access/access.entity';
import { OnlineService, SectorCode } from '../src/online-service/online-service.entity';
import { CATALOG } from '../src/seed/reference-data';
import { servicesSubgraph } from '../src/server';

// Issue 7: the number of SQL statements an operation costs does not grow with the number of
// records listed or of representations in an `_entities` batch. Each case runs with 10 and with
// 100 records, every field this subgraph resolves selected, and must cost exactly as many.

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const id = (kind: string, key: string | number) => stableId(kind, `n-plus-one:${key}`);
// The catalog services seeds itself; other ministries register theirs (none here).
const CATALOG_SIZE = CATALOG.length;

const ORG = id('organization', 'municipality');
const REQUESTERS_ORG = id('organization', 'requesters');
const MANAGER = id('user', 'manager');
const FEW = id('user', 'few');
const MANY = id('user', 'many');
const members = range(100).map((i) => id('user', `member-${i}`));
// With the catalog's reference services, exactly 100 services once all are inserted.
const extra = range(100 - CATALOG_SIZE).map((i) => id('online-service', i));
const SMALL = extra[0]!;
const LARGE = extra[1]!;

const SERVICE = `id code name description status sector { code name } owner { ministry directionCode directionName }
  supportContact { name phone email }`;
const RIGHT = `id service { ${SERVICE} } organization { id } user { id } role validFrom validUntil`;
const REQUEST = `id service { ${SERVICE} } organization { id } requester { id } kind status reason createdAt decidedAt`;

let subgraph: TestSubgraph;
let issuer: TestTokenIssuer;
const headers: Record<string, Record<string, string>> = {};
let services: string[] = [];

beforeAll(async () => {
  issuer = await startTestTokenIssuer();
  subgraph = await startTestSubgraph(servicesSubgraph, { seedDemoData: false, jwksUrl: issuer.jwksUrl });
  for (const [name, userId, organizationId] of [['manager', MANAGER, ORG], ['few', FEW, REQUESTERS_ORG], ['many', MANY, REQUESTERS_ORG]] as const) {
    headers[name] = { authorization: `Bearer ${await issuer.mint({ userId, organizationId })}` };
  }
  // 10 services before the test inserts the rest: the seeded catalog and as many more as it takes.
  await insertServices(extra.slice(0, 10 - CATALOG_SIZE));
});

afterAll(async () => {
  await subgraph?.close();
  await issuer?.close();
});

async function insertServices(ids: readonly string[]): Promise<void> {
  await subgraph.database.orm.em.fork().insertMany(
    OnlineService,
    ids.map((serviceId) => ({
      id: serviceId,
      code: `NPO-${extra.indexOf(serviceId)}`,
      name: `Service ${extra.indexOf(serviceId)}`,
      description: 'Un service en ligne de plus.',
      sector: extra.indexOf(serviceId) % 2 === 0 ? SectorCode.Infrastructures : SectorCode.MunicipalFinances,
      ownerMinistry: "Ministère des Affaires municipales et de l'Habitation",
      ownerDirectionCode: 'DGI',
      ownerDirectionName: 'Direction générale des infrastructures',
      supportName: 'DGI',
      supportPhone: '418 691-2005',
      supportEmail: 'infrastructures@mamh.gouv.qc.ca',
      createdAt: new Date(),
    })),
  );
}

let inserted: Promise<void> | undefined;
/** The other 90 services and every right, request and audit entry; once, whichever test asks first. */
const insertRecords = () => (inserted ??= insertOnce());

async function insertOnce(): Promise<void> {
  await insertServices(extra.slice(10 - CATALOG_SIZE));
  const em = subgraph.database.orm.em.fork();
  services = (await em.find(OnlineService, {}, { fields: ['id'], orderBy: { code: 'asc' } })).map((service) => service.id);
  const now = Date.now();
  const right = (userId: string, organizationId: string, serviceId: string, role: ServiceRole, key: string) => ({
    id: id('access-right', key),
    userId,
    organizationId,
    service: serviceId,
    role,
    validFrom: new Date(now - 86_400_000),
    // R10: a deputy's period ends; other rights do not.
    validUntil: role === ServiceRole.DeputyManager ? new Date(now + 86_400_000) : null,
    grantedBy: MANAGER,
    grantedAt: new Date(now - 86_400_000),
  });
  await em.insertMany(AccessRight, [
    right(MANAGER, ORG, SMALL, ServiceRole.LocalManager, 'manager-small'),
    right(MANAGER, ORG, LARGE, ServiceRole.LocalManager, 'manager-large'),
    ...[SMALL, LARGE].flatMap((serviceId, s) =>
      members.slice(0, s === 0 ? 10 : 100).flatMap((userId, i) => [
        right(userId, ORG, serviceId, ServiceRole.User, `${serviceId}-user-${i}`),
        right(userId, ORG, serviceId, ServiceRole.DeputyManager, `${serviceId}-deputy-${i}`),
      ]),
    ),
    // R9: FEW works in 10 services, MANY in all 100.
    ...services.slice(0, 10).map((serviceId, i) => right(FEW, REQUESTERS_ORG, serviceId, ServiceRole.User, `few-${i}`)),
    ...services.map((serviceId, i) => right(MANY, REQUESTERS_ORG, serviceId, ServiceRole.User, `many-${i}`)),
  ]);
  const request = (userId: string, organizationId: string, serviceId: string, status: AccessRequestStatus, key: string) => ({
    id: id('access-request', key),
    userId,
    organizationId,
    service: serviceId,
    kind: AccessRequestKind.Access,
    status,
    reason: status === AccessRequestStatus.Refused ? 'Aucun besoin' : null,
    createdAt: new Date(now - 3_600_000),
    decidedAt: status === AccessRequestStatus.Pending ? null : new Date(now),
    decidedBy: status === AccessRequestStatus.Pending ? null : MANAGER,
  });
  await em.insertMany(AccessRequest, [
    // R8: pending requests of the organization's users, for its local manager to decide.
    ...[SMALL, LARGE].flatMap((serviceId, s) =>
      members.slice(0, s === 0 ? 10 : 100).map((userId, i) => request(userId, ORG, serviceId, AccessRequestStatus.Pending, `${serviceId}-${i}`)),
    ),
    ...services.slice(0, 10).map((serviceId, i) => request(FEW, REQUESTERS_ORG, serviceId, AccessRequestStatus.Granted, `few-${i}`)),
    ...services.map((serviceId, i) => request(MANY, REQUESTERS_ORG, serviceId, i % 2 ? AccessRequestStatus.Refused : AccessRequestStatus.Granted, `many-${i}`)),
  ]);
  await em.insertMany(
    AuditEvent,
    range(120).map((i) => ({
      id: id('audit', i),
      occurredAt: new Date(now - i * 60_000),
      actorUserId: MANAGER,
      actorOrganizationId: ORG,
      organizationId: ORG,
      serviceId: LARGE,
      action: 'ACCESS_REQUEST_GRANTED',
      targetType: 'AccessRight',
      targetId: id('access-right', `${LARGE}-user-${i % 100}`),
      before: null,
      after: { role: 'USER' },
    })),
  );
}

type Data = Record<string, any>;

/** Runs an operation as someone: the statements it cost and its answer, which must hold no error. */
async function measure(as: string, query: string, variables: Record<string, unknown> = {}): Promise<{ statements: number; data: Data }> {
  const { statements, result } = await statementsDuring(subgraph.origin, () => execute<Data>(subgraph.url, query, variables, headers[as]));
  expect(result.errors).toBeUndefined();
  return { statements, data: result.data! };
}

describe('services subgraph: as many SQL statements for 100 records as for 10 (issue 7)', () => {
  it('R7, R22: the catalog with owners and support contacts: 10, then 100 services', async () => {
    const query = `{ onlineServices(first: 100) { totalCount edges { cursor } nodes { ${SERVICE} } } }`;
    const small = await measure('few', query);
    await insertRecords();
    const large = await measure('few', query);
    expect([small.data.onlineServices.nodes.length, large.data.onlineServices.nodes.length]).toEqual([10, 100]);
    expect([small.data.onlineServices.totalCount, large.data.onlineServices.totalCount]).toEqual([10, 100]);
    expect(large.statements).toBe(small.statements);
  });

  describe('with rights, requests and trails', () => {
    beforeAll(() => insertRecords());

    it('R9: « Mes services en ligne » by sector: 10, then 100 services', async () => {
      const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User {
        onlineServices { sector { code name } services { roles organization { id } service { ${SERVICE} } } } } } }`;
      const count = (data: Data) => (data._entities[0].onlineServices as Data[]).reduce((sum, sector) => sum + (sector.services as unknown[]).length, 0);
      const small = await measure('few', query, { r: [{ __typename: 'User', id: FEW }] });
      const large = await measure('many', query, { r: [{ __typename: 'User', id: MANY }] });
      expect([count(small.data), count(large.data)]).toEqual([10, 100]);
      expect(large.statements).toBe(small.statements);
    });

    it('R20: the decision point other subgraphs ask, for a user with 10, then 100 rights', async () => {
      const ask = (as: string) =>
        statementsDuring(subgraph.origin, async () => (await fetch(`${subgraph.origin}${RIGHTS_PATH}`, { headers: headers[as] })).json() as Promise<Data>);
      const small = await ask('few');
      const large = await ask('many');
      expect([small.result.rights.length, large.result.rights.length]).toEqual([10, 100]);
      expect(large.statements).toBe(small.statements);
    });

    it('R8: my access requests: 10, then 100', async () => {
      const query = `{ myAccessRequests(first: 100) { totalCount pageInfo { hasNextPage endCursor } nodes { ${REQUEST} } } }`;
      const small = await measure('few', query);
      const large = await measure('many', query);
      expect([small.data.myAccessRequests.nodes.length, large.data.myAccessRequests.nodes.length]).toEqual([10, 100]);
      expect(large.statements).toBe(small.statements);
    });

    it("R8: a service's pending requests, for the organization's local manager: 10, then 100", async () => {
      const query = `query($s: ID!) { pendingAccessRequests(serviceId: $s, first: 100) { totalCount edges { cursor node { ${REQUEST} } } } }`;
      const small = await measure('manager', query, { s: SMALL });
      const large = await measure('manager', query, { s: LARGE });
      expect([small.data.pendingAccessRequests.edges.length, large.data.pendingAccessRequests.edges.length]).toEqual([10, 100]);
      expect(large.statements).toBe(small.statements);
    });

    it("R8, R14: the organization's rights on a service, for its local manager: 21, then a page of 100 of 201", async () => {
      const query = `query($s: ID!) { accessRights(serviceId: $s, organizationId: "${ORG}", first: 100) { totalCount nodes { ${RIGHT} } } }`;
      const small = await measure('manager', query, { s: SMALL });
      const large = await measure('manager', query, { s: LARGE });
      expect([small.data.accessRights.nodes.length, large.data.accessRights.nodes.length]).toEqual([21, 100]);
      expect([small.data.accessRights.totalCount, large.data.accessRights.totalCount]).toEqual([21, 201]);
      expect(large.statements).toBe(small.statements);
    });

    it('R10, R12: who manages access, with 10, then 100 deputies in their period', async () => {
      const query = `query($s: ID!) { localManager(serviceId: $s, organizationId: "${ORG}") {
        hasLocalManager localManager { id } activeDeputies(first: 100) { totalCount nodes { id } edges { cursor node { id } } } } }`;
      const small = await measure('manager', query, { s: SMALL });
      const large = await measure('manager', query, { s: LARGE });
      expect([small.data.localManager.activeDeputies.nodes.length, large.data.localManager.activeDeputies.nodes.length]).toEqual([10, 100]);
      expect(large.data.localManager.activeDeputies.totalCount).toBe(100);
      expect(large.statements).toBe(small.statements);
    });

    it("R21: a page of 10, then 100 entries of a service's audit trail, for the local manager", async () => {
      const query = `query($n: Int) { serviceAuditTrail(serviceId: "${LARGE}", organizationId: "${ORG}", first: $n) {
        totalCount nodes { id occurredAt action actor { id } targetType targetId before after } pageInfo { hasNextPage endCursor } } }`;
      const small = await measure('manager', query, { n: 10 });
      const large = await measure('manager', query, { n: 100 });
      expect([small.data.serviceAuditTrail.nodes.length, large.data.serviceAuditTrail.nodes.length]).toEqual([10, 100]);
      expect(large.data.serviceAuditTrail.totalCount).toBe(120);
      expect(large.statements).toBe(small.statements);
    });

    it('R7: a batch of 10, then 100 online services, every field', async () => {
      const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on OnlineService { ${SERVICE} } } }`;
      const batch = (n: number) => ({ r: services.slice(0, n).map((serviceId) => ({ __typename: 'OnlineService', id: serviceId })) });
      const small = await measure('few', query, batch(10));
      const large = await measure('few', query, batch(100));
      const found = (data: Data) => (data._entities as Array<Data | null>).filter((service) => service?.supportContact).length;
      expect([found(small.data), found(large.data)]).toEqual([10, 100]);
      expect(large.statements).toBe(small.statements);
    });
  });
});
