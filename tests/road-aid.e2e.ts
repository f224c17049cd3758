import { stableId } from '@pgamr/kit';
import { execute } from './support/graphql';
import { bearer, signIn } from './support/session';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
type Headers = Record<string, string>;
const MAGOG = stableId('organization', 'MUN-45072');
const codeOf = (response: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => response.errors?.[0]?.extensions?.code;
const gateway = (query: string, variables: Record<string, unknown>, headers: Headers) => execute<any>(stack.gatewayUrl, query, variables, headers);
const as = async (code: string) => bearer(await signIn(stack.gatewayUrl, code));

const CREATE = `mutation($input: CreateRoadAidApplicationInput!) {
  createRoadAidApplication(input: $input) { roadAidApplication { id roadSegmentName status organization { name } } } }`;
const MY_APPLICATIONS = '{ me { organization { name roadAidApplications { totalCount nodes { roadSegmentName lengthKm requestedAmount createdAt } } } } }';

let marc: Headers;
let caroline: Headers;

beforeAll(async () => {
  stack = await startStack();
  // Marc holds a USER right on PAVL for Magog (road-aid's catalog.json, registered with services
  // as road-aid starts); Caroline, of Magog too, none.
  [marc, caroline] = await Promise.all([as('MAG0000002'), as('MAG0000004')]);
});

afterAll(async () => {
  await stack?.close();
});

describe("R23: the MTMD's road aid subgraph (PAVL) joins the supergraph on the shared kit", () => {
  it('lists PAVL in the catalog, owned by the MTMD, with its support contact, as road-aid declared it (R7, R22, R23)', async () => {
    const { data } = await gateway(
      `query($id: ID!) { onlineService(id: $id) { code owner { ministry directionCode } supportContact { email } } }`,
      { id: stableId('online-service', 'PAVL') },
      marc,
    );
    expect(data.onlineService).toEqual({
      code: 'PAVL',
      owner: { ministry: 'Ministère des Transports et de la Mobilité durable', directionCode: 'DGAT' },
      supportContact: { email: 'pavl@transports.gouv.qc.ca' },
    });
  });

  it("R14: a user with a right on PAVL files an application, read back through identity's Organization", async () => {
    const input = { organizationId: MAGOG, fiscalYear: 2026, roadSegmentName: 'Chemin des Pères', lengthKm: 2.75, requestedAmount: '142500' };
    const created = await gateway(CREATE, { input }, marc);
    expect(created.errors).toBeUndefined();
    expect(created.data.createRoadAidApplication.roadAidApplication).toMatchObject({
      roadSegmentName: 'Chemin des Pères',
      status: 'DRAFT',
      organization: { name: expect.stringContaining('Magog') },
    });
    const mine = await gateway(MY_APPLICATIONS, {}, marc);
    // Money is exact and always has its cents; createdAt is an instant.
    expect(mine.data.me.organization.roadAidApplications).toEqual({
      totalCount: 1,
      nodes: [{ roadSegmentName: 'Chemin des Pères', lengthKm: 2.75, requestedAmount: '142500.00', createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) }],
    });
  });

  it('R14, R20: a user of the same organization without a right on PAVL is refused, through the decision point', async () => {
    const created = await gateway(CREATE, { input: { organizationId: MAGOG, fiscalYear: 2026, roadSegmentName: 'Rang 4', lengthKm: 1, requestedAmount: '1000' } }, caroline);
    expect(codeOf(created)).toBe('FORBIDDEN');
    const listed = await gateway(MY_APPLICATIONS, {}, caroline);
    expect(codeOf(listed)).toBe('FORBIDDEN');
    expect(listed.data.me.organization).toMatchObject({ name: expect.stringContaining('Magog'), roadAidApplications: null });
  });

  it('R20: an anonymous caller reaches none of it', async () => {
    const response = await gateway(MY_APPLICATIONS, {}, {});
    expect(codeOf(response)).toBe('UNAUTHENTICATED');
  });

  it('R20: straight at the subgraph without a token, an existing application and a random id get the same answer (no existence oracle)', async () => {
    const mine = await gateway('{ me { organization { roadAidApplications { nodes { id } } } } }', {}, marc);
    const existing = mine.data.me.organization.roadAidApplications.nodes[0].id as string;
    const random = stableId('road-aid-application', 'never-created');
    const direct = async (id: string) => {
      const byId = await execute<any>(stack.subgraphs['road-aid'].url, 'query($id: ID!) { roadAidApplication(id: $id) { id } }', { id }, {});
      const entity = await execute<any>(
        stack.subgraphs['road-aid'].url,
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on RoadAidApplication { id } } }',
        { r: [{ __typename: 'RoadAidApplication', id }] },
        {},
      );
      return JSON.stringify([byId, entity]).replaceAll(id, '<id>');
    };
    const answer = await direct(existing);
    expect(answer).toContain('UNAUTHENTICATED');
    expect(await direct(random)).toBe(answer);
  });
});
