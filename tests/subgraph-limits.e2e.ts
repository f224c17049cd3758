import { stableId } from '@pgamr/kit';
import { SUBGRAPH_LIMITS } from '@pgamr/kit/limits';
import { execute, type GraphQLResponse } from './support/graphql';
import { bearer, signIn } from './support/session';
import { startStack, type Stack } from './support/stack';

// Issue 13, section 5: no single request takes a process down, even sent straight to a subgraph
// on the internal network. Every subgraph enforces the kit's limits (SUBGRAPH_LIMITS, larger
// than the gateway's), and never refuses what the gateway's query planner sends.

const MAGOG = stableId('organization', 'MUN-45072');
type Headers = Record<string, string>;
type SubgraphName = keyof Stack['subgraphs'];

let stack: Stack;
let marc: Headers; // Magog, TECQ and PAVL user
let isabelle: Headers; // RSÉ of Magog
let dgi: Headers; // ministry staff, DGI

beforeAll(async () => {
  stack = await startStack();
  const as = async (code: string) => bearer(await signIn(stack.gatewayUrl, code));
  [marc, isabelle, dgi] = await Promise.all([as('MAG0000002'), as('MAG0000001'), as('MAM0000002')]);
});

afterAll(async () => {
  await stack?.close();
});

/** `open` and `close` repeated `levels` times around `leaf`. */
const nest = (levels: number, open: string, leaf: string, close: string) => `${open.repeat(levels)}${leaf}${close.repeat(levels)}`;
const ORGANIZATION_ENTITY = (selection: string) =>
  `{ _entities(representations: [{ __typename: "Organization", id: "${MAGOG}" }]) { ... on Organization { ${selection} } } }`;

/** Sends `body` straight to the subgraph, checks a clean refusal with `code`, then that the process still answers. */
async function expectCleanRefusal(name: SubgraphName, body: Record<string, unknown>, headers: Headers, code: string, french: RegExp) {
  const { origin, url } = stack.subgraphs[name];
  const started = Date.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  expect(response.status).toBe(400);
  const answer = (await response.json()) as GraphQLResponse<unknown>;
  expect(answer.data ?? undefined).toBeUndefined();
  expect(answer.errors?.find((error) => error.extensions?.code === code)?.message).toMatch(french);
  // Refused before any resolver ran: no time spent resolving.
  expect(Date.now() - started).toBeLessThan(2_000);
  // Still up, and still serving.
  expect((await fetch(`${origin}/health`)).status).toBe(200);
  expect(await execute(url, '{ __typename }', {}, headers)).toEqual({ data: { __typename: 'Query' }, errors: undefined });
}

describe('the deep query that took the mandates subgraph to a 4 GB heap, and its kind, straight to each subgraph', () => {
  const tooDeep = new RegExp(`profondeur maximale permise \\(${SUBGRAPH_LIMITS.maxDepth}\\)`);

  it('mandates: dossiers → organization → dossiers → … nine levels, default page sizes', async () => {
    const query = `{ dossiers { nodes { ${nest(9, 'organization { dossiers { nodes { ', 'id', ' } } }')} } } }`;
    await expectCleanRefusal('mandates', { query }, marc, 'QUERY_TOO_DEEP', tooDeep);
  });

  it('mandates: within the depth limit, four levels of pages of 100 are too costly', async () => {
    const query = `{ dossiers(first: 100) { nodes { ${nest(3, 'organization { dossiers(first: 100) { nodes { ', 'id', ' } } }')} } } }`;
    await expectCleanRefusal('mandates', { query }, marc, 'QUERY_TOO_COMPLEX', /trop coûteuse \(coût estimé \d+; maximum permis 1000000\)/);
  });

  it('identity: me → organization → users → organization → … nine levels', async () => {
    const query = `{ me { ${nest(9, 'organization { users { nodes { ', 'id', ' } } }')} } }`;
    await expectCleanRefusal('identity', { query }, isabelle, 'QUERY_TOO_DEEP', tooDeep);
  });

  it('road-aid: an organization → its applications → their organization → … nine levels', async () => {
    const query = ORGANIZATION_ENTITY(nest(9, 'roadAidApplications { nodes { organization { ', 'id', ' } } }'));
    await expectCleanRefusal('road-aid', { query }, marc, 'QUERY_TOO_DEEP', tooDeep);
  });

  it('services: no path of services recurses; thousands of entities, each with its nested lists, are too costly', async () => {
    const query =
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { onlineServices { sector { name } services { roles service { name owner { ministry } supportContact { email } } } } } } }';
    const representations = Array.from({ length: 2_000 }, () => ({ __typename: 'User', id: stableId('user', 'MAG0000002') }));
    await expectCleanRefusal('services', { query, variables: { r: representations } }, marc, 'QUERY_TOO_COMPLEX', /trop coûteuse/);
  });

  it.each(['identity', 'services', 'mandates', 'road-aid'] as const)('%s: an alias bomb is refused (TOO_MANY_ALIASES)', async (name) => {
    // `_service` is in every subgraph (`__typename` aliases are free).
    const aliases = Array.from({ length: SUBGRAPH_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: _service { sdl }`).join(' ');
    await expectCleanRefusal(name, { query: `{ ${aliases} }` }, marc, 'TOO_MANY_ALIASES', /alias, le maximum permis/);
  });

  it.each(['identity', 'services', 'mandates', 'road-aid'] as const)('%s: a document of too many tokens is refused before it is parsed whole (TOO_MANY_TOKENS)', async (name) => {
    const query = `{ ${'__typename '.repeat(SUBGRAPH_LIMITS.maxTokens)} }`;
    await expectCleanRefusal(name, { query }, marc, 'TOO_MANY_TOKENS', /jetons lexicaux/);
  });
});

describe("subgraph limits never refuse what the gateway's query planner sends for an operation the gateway accepted", () => {
  it('a cross-subgraph operation at nine levels, through identity and mandates twice', async () => {
    const query = '{ me { organization { dossiers { nodes { organization { dossiers { nodes { organization { name } } } } } } } } }';
    const response = await execute<any>(stack.gatewayUrl, query, {}, marc);
    expect(response.errors).toBeUndefined();
    expect(response.data.me.organization.dossiers.nodes[0].organization.dossiers.nodes[0].organization.name).toBe('Ville de Magog');
  });

  it('entity fetches of a whole page of municipal bodies, with their dossiers and the dossiers’ services', async () => {
    const query = '{ municipalBodies(first: 100) { nodes { name dossiers(first: 10) { totalCount nodes { title service { code owner { directionCode } } } } } } }';
    const response = await execute<any>(stack.gatewayUrl, query, {}, dgi);
    expect(response.errors).toBeUndefined();
    expect(response.data.municipalBodies.nodes.length).toBeGreaterThan(1);
  });
});
