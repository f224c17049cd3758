import { stableId } from '@pgamr/kit';
import { pendingSchemaChanges, startTestSubgraph, startTestTokenIssuer, type TestSubgraph, type TestTokenIssuer, execute } from '@pgamr/kit/testing';
import { SERVICE_ID } from '../src/policy';
import { RoadAidApplication } from '../src/road-aid-application/road-aid-application.entity';
import { roadAidSubgraph } from '../src/server';

const MAGOG = stableId('organization', 'MUN-45072');
const SHERBROOKE = stableId('organization', 'MUN-43027');
const WORKER = stableId('user', 'MAG0000002');
const COLLEAGUE = stableId('user', 'MAG0000003');

let subgraph: TestSubgraph;
let issuer: TestTokenIssuer;
let worker: Record<string, string>;
let colleague: Record<string, string>;

const CREATE = `mutation($input: CreateRoadAidApplicationInput!) {
  createRoadAidApplication(input: $input) { roadAidApplication { id fiscalYear roadSegmentName lengthKm requestedAmount status organization { id } createdAt } } }`;
const application = (overrides: Record<string, unknown> = {}) => ({
  organizationId: MAGOG, fiscalYear: 2025, roadSegmentName: 'Chemin des Pères', lengthKm: 3.4, requestedAmount: '185000.5', ...overrides,
});
const LIST = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { roadAidApplications { totalCount nodes { roadSegmentName status } } } } }';
const codeOf = (response: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => response.errors?.[0]?.extensions?.code;

beforeAll(async () => {
  issuer = await startTestTokenIssuer();
  subgraph = await startTestSubgraph(roadAidSubgraph, { jwksUrl: issuer.jwksUrl, rightsUrl: issuer.rightsUrl });
  issuer.grant(WORKER, { serviceId: SERVICE_ID, organizationId: MAGOG, role: 'USER' });
  worker = { authorization: `Bearer ${await issuer.mint({ userId: WORKER, organizationId: MAGOG })}` };
  colleague = { authorization: `Bearer ${await issuer.mint({ userId: COLLEAGUE, organizationId: MAGOG })}` };
});

afterAll(async () => {
  await subgraph?.close();
  await issuer?.close();
});

describe('road-aid subgraph: PAVL applications (R14, R20, R23)', () => {
  it('has migrations that build exactly the schema its entities describe', async () => {
    expect(await pendingSchemaChanges(subgraph.database.orm)).toBe('');
  });

  it('R14: a user with a right on the service creates a record and lists it in their organization', async () => {
    const created = await execute<any>(subgraph.url, CREATE, { input: application() }, worker);
    expect(created.errors).toBeUndefined();
    // The amount is exact, a decimal string with its cents, from the column to the JSON.
    expect(created.data?.createRoadAidApplication.roadAidApplication).toMatchObject({
      fiscalYear: 2025, roadSegmentName: 'Chemin des Pères', lengthKm: 3.4, requestedAmount: '185000.50', status: 'DRAFT', organization: { id: MAGOG },
    });
    expect(Number.isNaN(Date.parse(created.data?.createRoadAidApplication.roadAidApplication.createdAt as string))).toBe(false);
    const listed = await execute(subgraph.url, LIST, { r: [{ __typename: 'Organization', id: MAGOG }] }, worker);
    expect(listed.data?._entities).toEqual([{ roadAidApplications: { totalCount: 1, nodes: [{ roadSegmentName: 'Chemin des Pères', status: 'DRAFT' }] } }]);
    const stored = await subgraph.database.orm.em.fork().getConnection().execute('select requested_amount::text as amount from road_aid_application');
    expect(stored).toEqual([{ amount: '185000.50' }]);
    const id = (created.data?.createRoadAidApplication.roadAidApplication as { id: string }).id;
    const byId = await execute(subgraph.url, `{ roadAidApplication(id: "${id}") { lengthKm } }`, {}, colleague);
    expect(byId.data).toEqual({ roadAidApplication: null });
  });

  it('refuses an application whose figures cannot be right, writing nothing', async () => {
    const count = () => subgraph.database.orm.em.fork().count(RoadAidApplication);
    const before = await count();
    for (const [input, field] of [
      [application({ lengthKm: 0 }), 'input.lengthKm'],
      [application({ requestedAmount: '0.00' }), 'input.requestedAmount'],
      [application({ requestedAmount: '-5' }), 'input.requestedAmount'],
    ] as const) {
      const response = await execute(subgraph.url, CREATE, { input }, worker);
      expect(response.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    }
    // Money is an exact decimal string: a float, or more than two decimals, is refused by the scalar.
    for (const requestedAmount of [185000.5, '185000.555', '1e20']) {
      const response = await execute(subgraph.url, CREATE, { input: application({ requestedAmount }) }, worker);
      expect(codeOf(response)).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0]?.message).toMatch(/Montant invalide/);
    }
    expect(await count()).toBe(before);
  });

  it('lists the applications newest fiscal year first, a page at a time', async () => {
    for (const fiscalYear of [2024, 2026]) {
      const created = await execute(subgraph.url, CREATE, { input: application({ fiscalYear, roadSegmentName: `Rang ${fiscalYear}` }) }, worker);
      expect(created.errors).toBeUndefined();
    }
    const PAGE = `query($r: [_Any!]!, $after: String) { _entities(representations: $r) { ... on Organization {
      roadAidApplications(first: 2, after: $after) { totalCount nodes { fiscalYear } pageInfo { hasNextPage endCursor } } } } }`;
    const first = await execute<any>(subgraph.url, PAGE, { r: [{ __typename: 'Organization', id: MAGOG }] }, worker);
    const firstPage = first.data!._entities[0].roadAidApplications;
    expect(firstPage).toMatchObject({ totalCount: 3, nodes: [{ fiscalYear: 2026 }, { fiscalYear: 2025 }], pageInfo: { hasNextPage: true } });
    const second = await execute<any>(subgraph.url, PAGE, { r: [{ __typename: 'Organization', id: MAGOG }], after: firstPage.pageInfo.endCursor }, worker);
    expect(second.data!._entities[0].roadAidApplications).toMatchObject({ nodes: [{ fiscalYear: 2024 }], pageInfo: { hasNextPage: false } });
    const tooLarge = await execute(subgraph.url, PAGE.replace('first: 2', 'first: 101'), { r: [{ __typename: 'Organization', id: MAGOG }] }, worker);
    expect(tooLarge.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('R14, R20: a colleague without a right on the service is refused, and so is another organization', async () => {
    const listed = await execute(subgraph.url, LIST, { r: [{ __typename: 'Organization', id: MAGOG }] }, colleague);
    expect(codeOf(listed)).toBe('FORBIDDEN');
    const created = await execute(subgraph.url, CREATE, { input: application() }, colleague);
    expect(codeOf(created)).toBe('FORBIDDEN');
    const elsewhere = await execute(subgraph.url, CREATE, { input: application({ organizationId: SHERBROOKE }) }, worker);
    expect(codeOf(elsewhere)).toBe('FORBIDDEN');
  });

  it('R20: an anonymous caller is refused', async () => {
    const listed = await execute(subgraph.url, LIST, { r: [{ __typename: 'Organization', id: MAGOG }] });
    expect(codeOf(listed)).toBe('UNAUTHENTICATED');
  });
});
