import { stableId } from '@pgamr/kit';
import { pendingSchemaChanges, startTestSubgraph, startTestTokenIssuer, type TestSubgraph, type TestTokenIssuer } from '@pgamr/kit/testing';
import { execute } from '../../../tests/support/graphql';
import { SERVICE_ID } from '../src/access';
import { roadAidSubgraph } from '../src/server';

const MAGOG = stableId('organization', 'MUN-45072');
const SHERBROOKE = stableId('organization', 'MUN-43027');
const WORKER = stableId('user', 'MAG0000002');
const COLLEAGUE = stableId('user', 'MAG0000003');

let subgraph: TestSubgraph;
let issuer: TestTokenIssuer;
let worker: Record<string, string>;
let colleague: Record<string, string>;

const CREATE = 'mutation($input: CreateRoadAidApplicationInput!) { createRoadAidApplication(input: $input) { id fiscalYear roadSegmentName lengthKm requestedAmount status organization { id } } }';
const application = (overrides: Record<string, unknown> = {}) => ({
  organizationId: MAGOG, fiscalYear: 2025, roadSegmentName: 'Chemin des Pères', lengthKm: 3.4, requestedAmount: 185000.5, ...overrides,
});
const LIST = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { roadAidApplications { roadSegmentName status } } } }';
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
    const created = await execute(subgraph.url, CREATE, { input: application() }, worker);
    expect(created.errors).toBeUndefined();
    expect(created.data?.createRoadAidApplication).toMatchObject({
      fiscalYear: 2025, roadSegmentName: 'Chemin des Pères', lengthKm: 3.4, requestedAmount: 185000.5, status: 'DRAFT', organization: { id: MAGOG },
    });
    const listed = await execute(subgraph.url, LIST, { r: [{ __typename: 'Organization', id: MAGOG }] }, worker);
    expect(listed.data?._entities).toEqual([{ roadAidApplications: [{ roadSegmentName: 'Chemin des Pères', status: 'DRAFT' }] }]);
    const id = (created.data?.createRoadAidApplication as { id: string }).id;
    const byId = await execute(subgraph.url, `{ roadAidApplication(id: "${id}") { lengthKm } }`, {}, colleague);
    expect(byId.data).toEqual({ roadAidApplication: null });
  });

  it('refuses an application whose figures cannot be right', async () => {
    const response = await execute(subgraph.url, CREATE, { input: application({ lengthKm: 0 }) }, worker);
    expect(codeOf(response)).toBe('BAD_USER_INPUT');
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
