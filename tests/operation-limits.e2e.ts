import { execute, type GraphQLResponse } from './support/graphql';
import { bearer, signIn } from './support/session';
import { startGatewayReplica, startStack, type Stack } from './support/stack';

// Small limits, so that each test shows the operation just under a limit running and the one
// just over it refused, whatever the defaults become.
const LIMITS = {
  GATEWAY_MAX_DEPTH: '4',
  GATEWAY_MAX_ALIASES: '3',
  GATEWAY_MAX_ROOT_FIELDS: '3',
  GATEWAY_MAX_DIRECTIVES: '3',
  GATEWAY_MAX_TOKENS: '120',
  GATEWAY_MAX_COST: '500',
  GATEWAY_DEFAULT_LIST_SIZE: '20',
};

let stack: Stack;
let rse: Record<string, string>;

beforeAll(async () => {
  stack = await startStack({ gatewayEnv: LIMITS });
  rse = bearer(await signIn(stack.gatewayUrl, 'MAG0000001'));
});

afterAll(async () => {
  await stack?.close();
});

const codes = (response: GraphQLResponse<unknown>) => (response.errors ?? []).map((error) => error.extensions?.code);

/** The operation is refused as a whole, with one error carrying `code` and a French message. */
function expectRefused(response: GraphQLResponse<unknown>, code: string, french: RegExp) {
  expect(response.data ?? undefined).toBeUndefined();
  const error = response.errors?.find((e) => e.extensions?.code === code);
  expect(error).toBeDefined();
  expect(error?.message).toMatch(french);
}

/** The operation ran: data and no refusal of any kind. */
function expectRan(response: GraphQLResponse<unknown>) {
  expect(response.errors ?? []).toEqual([]);
  expect(response.data).toBeTruthy();
}

/**
 * `{ me { organization { users { nodes { organization … } } } } }`: `depth` fields from `me` to the
 * leaf (`id`, or `totalCount` on a page of users), both included.
 */
function nested(depth: number): string {
  const cycle = ['organization', 'users', 'nodes'];
  const fields = Array.from({ length: depth - 2 }, (_, i) => cycle[i % cycle.length]!);
  const leaf = fields.at(-1) === 'users' ? 'totalCount' : 'id';
  return `{ me { ${fields.reduceRight((inner, field) => `${field} { ${inner} }`, leaf)} } }`;
}

describe('operation limits (refused before any subgraph is called)', () => {
  it('depth: an operation deeper than GATEWAY_MAX_DEPTH is refused with QUERY_TOO_DEEP', async () => {
    expectRan(await execute(stack.gatewayUrl, nested(4), {}, rse));
    expectRefused(await execute(stack.gatewayUrl, nested(5), {}, rse), 'QUERY_TOO_DEEP', /profondeur maximale permise \(4\)/);
  });

  it('aliases: more aliases than GATEWAY_MAX_ALIASES are refused with TOO_MANY_ALIASES', async () => {
    expectRan(await execute(stack.gatewayUrl, '{ me { a: id b: id c: id } }', {}, rse));
    const response = await execute(stack.gatewayUrl, '{ me { a: id b: id c: id d: id } }', {}, rse);
    expectRefused(response, 'TOO_MANY_ALIASES', /plus de 3 alias/);
    expect(response.errors?.[0]?.extensions).toMatchObject({ limit: 3 });
  });

  it('root fields: more root fields than GATEWAY_MAX_ROOT_FIELDS are refused with TOO_MANY_ROOT_FIELDS', async () => {
    expectRan(await execute(stack.gatewayUrl, '{ me { id } onlineServices { nodes { id } } myAccessRequests { nodes { id } } }', {}, rse));
    const fourRootFields = '{ me { id } onlineServices { nodes { id } } myAccessRequests { nodes { id } } municipalBodies { nodes { id } } }';
    expectRefused(await execute(stack.gatewayUrl, fourRootFields, {}, rse), 'TOO_MANY_ROOT_FIELDS', /4 champs racines; le maximum permis est 3/);
  });

  it('directives: more directives than GATEWAY_MAX_DIRECTIVES are refused with TOO_MANY_DIRECTIVES', async () => {
    const withDirectives = (n: number) =>
      `{ me { ${Array.from({ length: n }, (_, i) => `f${i}: id @include(if: true)`).join(' ')} } }`;
    expectRan(await execute(stack.gatewayUrl, withDirectives(3), {}, rse));
    expectRefused(await execute(stack.gatewayUrl, '{ me { id @include(if: true) givenName @include(if: true) familyName @skip(if: false) email @skip(if: false) } }', {}, rse), 'TOO_MANY_DIRECTIVES', /plus de 3 directives/);
  });

  it('tokens: a document of more lexical tokens than GATEWAY_MAX_TOKENS is refused with TOO_MANY_TOKENS', async () => {
    const fields = (n: number) => `{ me { ${Array.from({ length: n }, () => 'id').join(' ')} } }`;
    // `{ me {` and `} }` are 5 tokens: 115 fields make 120 tokens, 116 make 121.
    expectRan(await execute(stack.gatewayUrl, fields(115), {}, rse));
    const response = await execute(stack.gatewayUrl, fields(116), {}, rse);
    expectRefused(response, 'TOO_MANY_TOKENS', /plus de 120 jetons lexicaux/);
    expect(response.errors?.[0]?.message).not.toMatch(/Syntax Error|tokens/);
  });

  it('cost: lists count once per element, sized by `first`, and past GATEWAY_MAX_COST the operation is refused with QUERY_TOO_COMPLEX', async () => {
    // Objects, as the IBM cost specification counts them (scalars are free): the page, its 10
    // dossiers, 20 status changes each (no @listSize: the default size) = 1 + 10 × (1 + 20) = 211.
    const history = (first: string) => `{ dossiers(first: ${first}) { nodes { id title history { toStatus } } } }`;
    expectRan(await execute(stack.gatewayUrl, history('10'), {}, rse));
    // The same with 100 per page: 1 + 100 × 21.
    const response = await execute(stack.gatewayUrl, history('100'), {}, rse);
    expectRefused(response, 'QUERY_TOO_COMPLEX', /trop coûteuse \(coût estimé 2101; maximum permis 500\)/);
    expect(response.errors?.[0]?.extensions).toMatchObject({ cost: 2101, limit: 500 });
  });

  it('cost: `first` from a variable counts as the largest page, whatever the variables say', async () => {
    const response = await execute(
      stack.gatewayUrl,
      'query($first: Int) { dossiers(first: $first) { nodes { id title history { toStatus } } } }',
      { first: 1 },
      rse,
    );
    expectRefused(response, 'QUERY_TOO_COMPLEX', /coût estimé 2101/);
  });
});

describe('introspection and field suggestions', () => {
  const introspection = '{ __schema { queryType { name } } }';
  const misspelled = '{ onlineServices { nodes { nam } } }';
  let production: Awaited<ReturnType<typeof startGatewayReplica>>;

  beforeAll(async () => {
    production = await startGatewayReplica(stack, { NODE_ENV: 'production' });
  });

  afterAll(async () => {
    await production?.close();
  });

  it('development: anyone introspects, and validation errors suggest field names', async () => {
    expect(await execute(stack.gatewayUrl, introspection)).toMatchObject({ data: { __schema: { queryType: { name: 'Query' } } } });
    const response = await execute(stack.gatewayUrl, misspelled, {}, rse);
    expect(codes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(response.errors?.[0]?.message).toMatch(/Did you mean "name"\?/);
  });

  it('production: anonymous callers and non-staff users may not introspect (INTROSPECTION_NOT_ALLOWED)', async () => {
    expectRefused(await execute(production.url, introspection), 'INTROSPECTION_NOT_ALLOWED', /introspection du schéma n'est pas permise/);
    const marc = bearer(await signIn(production.url, 'MAG0000002'));
    expectRefused(await execute(production.url, '{ __type(name: "Dossier") { name } }', {}, marc), 'INTROSPECTION_NOT_ALLOWED', /introspection/);
  });

  it('production: signed-in ministry staff introspect', async () => {
    const staff = bearer(await signIn(production.url, 'MAM0000002'));
    expect(await execute(production.url, introspection, {}, staff)).toMatchObject({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  it('production: no field suggestions for anyone but staff', async () => {
    const anonymous = await execute(production.url, misspelled);
    expect(codes(anonymous)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(anonymous.errors?.[0]?.message).toBe('Cannot query field "nam" on type "OnlineService".');
    const staff = bearer(await signIn(production.url, 'MAM0000002'));
    expect((await execute(production.url, misspelled, {}, staff)).errors?.[0]?.message).toMatch(/Did you mean "name"\?/);
  });
});
