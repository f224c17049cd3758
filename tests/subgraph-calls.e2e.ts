import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ServiceRole, stableId } from '@pgamr/kit';
import { readCounter } from '@pgamr/kit/testing';
import { UserStatus, User } from '../subgraphs/identity/src/user/user.entity';
import { Dossier, DossierStatus } from '../subgraphs/mandates/src/dossier/dossier.entity';
import { Mandate, MandateDossier, MandateLevel } from '../subgraphs/mandates/src/mandate/mandate.entity';
import { RoadAidApplication, RoadAidApplicationStatus } from '../subgraphs/road-aid/src/road-aid-application/road-aid-application.entity';
import { AccessRight } from '../subgraphs/services/src/access/access.entity';
import { OnlineService, SectorCode } from '../subgraphs/services/src/online-service/online-service.entity';
import { execute } from './support/graphql';
import { bearer, signIn } from './support/session';
import { startStack, type Stack } from './support/stack';

// Issue 7 through the real stack: the portal's main pages cost the same number of gateway calls
// to each subgraph, and the same number of SQL statements in each, whether they show 10 records
// or 100. Counted from every subgraph's own /metrics, before and after each operation.

const SUBGRAPHS = ['identity', 'services', 'mandates', 'road-aid'] as const;
type SubgraphName = (typeof SUBGRAPHS)[number];
type Counts = Record<SubgraphName, number>;
type Data = Record<string, any>;

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const id = (kind: string, key: string | number) => stableId(kind, `subgraph-calls:${key}`);
const portalOperation = (name: string) => readFileSync(path.join(__dirname, '..', 'clients', 'portal', 'operations', `${name}.graphql`), 'utf8');

const MAGOG = stableId('organization', 'MUN-45072');
const GCE = stableId('organization', 'FIRM-GCE');
const TECQ = stableId('online-service', 'TECQ');
const ISABELLE = stableId('user', 'MAG0000001');
const JULIEN = stableId('user', 'GCE0000001');
const LUC = stableId('user', 'MAG0000003');
const CAROLINE = stableId('user', 'MAG0000004');
/** Magog has 4 demo users. */
const MAGOG_DEMO_USERS = 4;

let stack: Stack;
let isabelle: Record<string, string>;
/**
 * Identity re-reads its signing keys from its database once its 5-second cache has expired, on
 * whichever request verifies a token then: a cost of time, not of the page, so it is left out.
 */
let keyReloads = 0;

beforeAll(async () => {
  stack = await startStack();
  stack.subgraphs.identity.database.orm.em
    .getConnection()
    .getKnex()
    .on('query', ({ sql }: { sql: string }) => {
      if (sql.includes('from "signing_key"')) keyReloads += 1;
    });
  isabelle = bearer(await signIn(stack.gatewayUrl, 'MAG0000001'));
});

afterAll(async () => {
  await stack?.close();
});

async function counters(name: string): Promise<Counts> {
  const values = await Promise.all(SUBGRAPHS.map((subgraph) => readCounter(stack.subgraphs[subgraph].origin, name)));
  return Object.fromEntries(SUBGRAPHS.map((subgraph, i) => [subgraph, values[i]!])) as Counts;
}

const difference = (after: Counts, before: Counts) =>
  Object.fromEntries(SUBGRAPHS.map((subgraph) => [subgraph, after[subgraph] - before[subgraph]])) as Counts;

/** One operation through the gateway: what it cost each subgraph in calls and in SQL statements. */
async function cost(query: string, variables: Record<string, unknown>, headers: Record<string, string>) {
  const [callsBefore, statementsBefore] = await Promise.all([counters('subgraph_graphql_requests_total'), counters('subgraph_sql_statements_total')]);
  const reloadsBefore = keyReloads;
  const { data, errors } = await execute<Data>(stack.gatewayUrl, query, variables, headers);
  expect(errors).toBeUndefined();
  const [callsAfter, statementsAfter] = await Promise.all([counters('subgraph_graphql_requests_total'), counters('subgraph_sql_statements_total')]);
  const statements = difference(statementsAfter, statementsBefore);
  statements.identity -= keyReloads - reloadsBefore;
  return { data: data!, calls: difference(callsAfter, callsBefore), statements };
}

function expectSameCost(small: Awaited<ReturnType<typeof cost>>, large: Awaited<ReturnType<typeof cost>>) {
  expect(large.calls).toEqual(small.calls);
  expect(large.statements).toEqual(small.statements);
}

describe('subgraph calls per portal page do not grow with the page (issue 7)', () => {
  it("R15, R17: an organization's dossiers with their program, and the mandates it gave with each mandataire's name: 10, then 100", async () => {
    const em = stack.subgraphs.mandates.database.orm.em.fork();
    const dossiers = range(100).map((i) => id('dossier', i));
    const mandates = range(100).map((i) => id('mandate', i));
    const now = Date.now();
    await em.insertMany(
      Dossier,
      dossiers.map((dossierId, i) => ({
        id: dossierId,
        organizationId: MAGOG,
        serviceId: TECQ,
        title: `Réfection du rang ${i}`,
        requestedAmount: '150000.00',
        status: DossierStatus.Draft,
        form: {},
        createdBy: ISABELLE,
        createdAt: new Date(now - i * 1000),
        updatedAt: new Date(now - i * 1000),
      })),
    );
    await em.insertMany(
      Mandate,
      mandates.map((mandateId, i) => ({
        id: mandateId,
        organizationId: MAGOG,
        serviceId: TECQ,
        firmOrganizationId: GCE,
        mandataireId: JULIEN,
        mandataireName: 'Julien Côté',
        level: MandateLevel.Consultation,
        startsOn: '2026-01-01',
        endsOn: null,
        parent: null,
        grantedBy: ISABELLE,
        grantedAt: new Date(now - i * 1000),
      })),
    );
    await em.insertMany(MandateDossier, mandates.map((mandate, i) => ({ mandate, dossier: dossiers[i]! })));

    const query = `query OrganizationDossiers($id: ID!, $first: Int!) { organization(id: $id) { name
      dossiers(first: $first) { totalCount nodes { id title status requestedAmount updatedAt service { code name } organization { name } } }
      mandatesGiven(first: $first) { totalCount nodes { id mandataireName level status firm { name } service { code name } dossiers { nodes { title } } } } } }`;
    const small = await cost(query, { id: MAGOG, first: 10 }, isabelle);
    const large = await cost(query, { id: MAGOG, first: 100 }, isabelle);
    const sizes = (data: Data) => [data.organization.dossiers.nodes.length as number, data.organization.mandatesGiven.nodes.length as number];
    expect([sizes(small.data), sizes(large.data)]).toEqual([
      [10, 10],
      [100, 100],
    ]);
    expect(large.data.organization.mandatesGiven.nodes[0]).toMatchObject({ mandataireName: 'Julien Côté', firm: { name: 'Génie-Conseil Estrie inc.' } });
    expectSameCost(small, large);
  });

  it('R15, R17: the portal\'s « Mes dossiers » list (Dossiers operation): 10, then 100', async () => {
    const query = portalOperation('Dossiers');
    const small = await cost(query, { first: 10 }, isabelle);
    const large = await cost(query, { first: 100 }, isabelle);
    expect([small.data.dossiers.nodes.length, large.data.dossiers.nodes.length]).toEqual([10, 100]);
    expect((large.data.dossiers.nodes as Data[]).every((dossier) => dossier.service.name && dossier.organization.name)).toBe(true);
    expectSameCost(small, large);
  });

  it('R9: the portal\'s « Mes services en ligne » (MyOnlineServices operation): 10, then 100 services', async () => {
    const extra = range(99).map((i) => id('online-service', i));
    const em = stack.subgraphs.services.database.orm.em.fork();
    await em.insertMany(
      OnlineService,
      extra.map((serviceId, i) => ({
        id: serviceId,
        code: `APPELS-${i}`,
        name: `Service ${i}`,
        description: 'Un service en ligne de plus.',
        sector: i % 2 ? SectorCode.Infrastructures : SectorCode.MunicipalFinances,
        ownerMinistry: "Ministère des Affaires municipales et de l'Habitation",
        ownerDirectionCode: 'DGI',
        ownerDirectionName: 'Direction générale des infrastructures',
        supportName: 'DGI',
        supportPhone: '418 691-2005',
        supportEmail: 'infrastructures@mamh.gouv.qc.ca',
        createdAt: new Date(),
      })),
    );
    // Each holds one PERFORM role already: Luc 9 services more, Caroline 99.
    await em.insertMany(
      AccessRight,
      [...extra.slice(0, 9).map((serviceId) => [LUC, serviceId] as const), ...extra.map((serviceId) => [CAROLINE, serviceId] as const)].map(
        ([userId, serviceId]) => ({
          id: id('access-right', `${userId}:${serviceId}`),
          userId,
          organizationId: MAGOG,
          service: serviceId,
          role: ServiceRole.User,
          validFrom: new Date(Date.now() - 86_400_000),
          validUntil: null,
          grantedBy: ISABELLE,
          grantedAt: new Date(Date.now() - 86_400_000),
        }),
      ),
    );
    const query = portalOperation('MyOnlineServices');
    const count = (data: Data) => (data.me.onlineServices as Data[]).reduce((sum, sector) => sum + (sector.services as unknown[]).length, 0);
    const small = await cost(query, {}, bearer(await signIn(stack.gatewayUrl, 'MAG0000003')));
    const large = await cost(query, {}, bearer(await signIn(stack.gatewayUrl, 'MAG0000004')));
    expect([count(small.data), count(large.data)]).toEqual([10, 100]);
    expectSameCost(small, large);
  });

  it("R2, R8: an organization's users, and their rights on a service with their names, for its RSÉ and local manager: 10, then 100 users", async () => {
    const identity = stack.subgraphs.identity.database.orm.em.fork();
    const services = stack.subgraphs.services.database.orm.em.fork();
    const addUsers = async (keys: number[]) => {
      const users = keys.map((i) => ({ key: i, userId: id('user', i), code: `APL${String(i).padStart(7, '0')}` }));
      await identity.insertMany(
        User,
        users.map(({ key, userId, code }) => ({
          id: userId,
          clicSequrCode: code,
          givenName: 'Employé',
          familyName: `Numéro ${key}`,
          email: `${code.toLowerCase()}@magog.qc.ca`,
          phone: null,
          status: UserStatus.Active,
          isRse: false,
          direction: null,
          organization: MAGOG,
          passwordHash: 'not-a-password',
          passwordIsTemporary: false,
          temporaryPasswordExpiresAt: null,
          createdAt: new Date(),
          updatedAt: new Date(),
        })),
      );
      await services.insertMany(
        AccessRight,
        users.map(({ userId }) => ({
          id: id('access-right', userId),
          userId,
          organizationId: MAGOG,
          service: TECQ,
          role: ServiceRole.User,
          validFrom: new Date(Date.now() - 86_400_000),
          validUntil: null,
          grantedBy: ISABELLE,
          grantedAt: new Date(Date.now() - 86_400_000),
        })),
      );
    };
    const query = `query OrganizationUsers($id: ID!, $serviceId: ID!) {
      organization(id: $id) { name users(first: 100) { totalCount nodes { id givenName familyName email phone status isRse } } }
      accessRights(serviceId: $serviceId, organizationId: $id, first: 100) { nodes { role validFrom user { givenName familyName email } service { code name } } } }`;
    await addUsers(range(10 - MAGOG_DEMO_USERS));
    const small = await cost(query, { id: MAGOG, serviceId: TECQ }, isabelle);
    await addUsers(range(100 - MAGOG_DEMO_USERS).slice(10 - MAGOG_DEMO_USERS));
    const large = await cost(query, { id: MAGOG, serviceId: TECQ }, isabelle);
    expect([small.data.organization.users.nodes.length, large.data.organization.users.nodes.length]).toEqual([10, 100]);
    expect([small.data.organization.users.totalCount, large.data.organization.users.totalCount]).toEqual([10, 100]);
    // Every right comes with its holder's name and e-mail, the new users' included.
    expect((large.data.accessRights.nodes as Data[]).every((right) => typeof right.user?.email === 'string')).toBe(true);
    expect(large.data.accessRights.nodes.length).toBeGreaterThan(100 - MAGOG_DEMO_USERS);
    expectSameCost(small, large);
  });

  it("R14, R23: an organization's road aid applications, for its user holding PAVL: 10, then 100", async () => {
    const em = stack.subgraphs['road-aid'].database.orm.em.fork();
    const addApplications = (keys: number[]) =>
      em.insertMany(
        RoadAidApplication,
        keys.map((i) => ({
          id: id('road-aid-application', i),
          organizationId: MAGOG,
          fiscalYear: 2026,
          roadSegmentName: `Rang ${i}`,
          lengthKm: 2,
          requestedAmount: '40000.00',
          status: RoadAidApplicationStatus.Draft,
          createdBy: stableId('user', 'MAG0000002'),
          createdAt: new Date(),
        })),
      );
    const marc = bearer(await signIn(stack.gatewayUrl, 'MAG0000002'));
    const query = `query RoadAid($id: ID!) { organization(id: $id) { name
      roadAidApplications(first: 100) { totalCount nodes { id fiscalYear roadSegmentName lengthKm requestedAmount status createdAt organization { name } } } } }`;
    await addApplications(range(10));
    const small = await cost(query, { id: MAGOG }, marc);
    await addApplications(range(100).slice(10));
    const large = await cost(query, { id: MAGOG }, marc);
    expect([small.data.organization.roadAidApplications.nodes.length, large.data.organization.roadAidApplications.nodes.length]).toEqual([10, 100]);
    expect(large.data.organization.roadAidApplications.nodes[0].requestedAmount).toBe('40000.00');
    expectSameCost(small, large);
  });
});
