import { SUBGRAPH_LIMITS } from '../src/limits';
import { startTestSubgraph, type TestSubgraph, execute, type GraphQLResponse } from '../src/testing';
import { fixtureSubgraph, Note, NOTE_ID } from './fixture-subgraph';

// Small limits, so that each test shows the operation just under a limit running and the one
// just over it refused.
const LIMITS = { ...SUBGRAPH_LIMITS, maxDepth: 4, maxAliases: 3, maxRootFields: 3, maxDirectives: 3, maxTokens: 60, maxCost: 50 };

let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(fixtureSubgraph, { limits: LIMITS });
});

afterAll(async () => {
  await subgraph?.close();
});

const notes = () => subgraph.database.orm.em.fork().count(Note);
const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }, path = '/graphql') =>
  fetch(`${subgraph.origin}${path}`, { method: 'POST', headers, body });
const ADD_NOTE = 'mutation($input: NoteInput!) { addNote(input: $input) { text } }';

/** Refused as a whole: no data, one BAD_USER_INPUT naming the field, in French. */
function expectBadInput(response: GraphQLResponse<unknown>, field: string, french: RegExp) {
  expect(response.data ?? null).toBeNull();
  expect(response.errors).toEqual([{ message: expect.stringMatching(french), extensions: { code: 'BAD_USER_INPUT', field } }]);
}

describe('input validation: every argument, before any resolver runs', () => {
  it.each([
    ['a NUL character', { text: 'a\u0000b' }, 'input.text', /caractère de contrôle non permis \(U\+0000\)/],
    ['a lone surrogate', { text: 'a\uD83Db' }, 'input.text', /caractère Unicode invalide/],
    ['a bell', { text: 'ding\u0007' }, 'input.text', /U\+0007/],
    ['an escape sequence', { text: '\u001B[31mrouge' }, 'input.text', /U\+001B/],
    ['a line break in a one-line field', { text: 'deux\nlignes' }, 'input.text', /U\+000A\) : il tient sur une seule ligne/],
    ['a control character in a multi-line field', { text: 'ok', comment: 'a\nb\u0000' }, 'input.comment', /U\+0000/],
    ['one character too many, not cut', { text: 'x'.repeat(101) }, 'input.text', /compte 101 caractères ; le maximum permis est 100/],
    ['200 KiB in a field without a stated limit (1000 by default)', { text: 'ok', search: 'x'.repeat(204_800) }, 'input.search', /compte 204800 caractères ; le maximum permis est 1000/],
    ['a date that is no day', { text: 'ok', remindOn: '2026-02-30' }, 'input.remindOn', /date au format AAAA-MM-JJ/],
    ['a nested list item', { text: 'ok', tags: [{ label: 'court' }, { label: 'bien trop long' }] }, 'input.tags.1.label', /maximum permis est 10/],
    // The kit's scalars refuse as the variables are read; the refusal is bad input like any other.
    ['a day that does not exist, for the Date scalar', { text: 'ok', dueOn: '2026-02-30' }, 'input.dueOn', /« input.dueOn » est invalide. Date invalide/],
    ['a floating-point number, for the Money scalar', { text: 'ok', budget: 12.5 }, 'input.budget', /Montant invalide/],
    ['a third decimal, for the Money scalar', { text: 'ok', budget: '12.005' }, 'input.budget', /deux décimales/],
  ])('refuses %s with BAD_USER_INPUT naming the field, and writes nothing', async (_case, input, field, french) => {
    const before = await notes();
    expectBadInput(await execute(subgraph.url, ADD_NOTE, { input }), field, french);
    expect(await notes()).toBe(before);
  });

  it('checks literals and fragments as it checks variables', async () => {
    const before = await notes();
    const literal = await execute(subgraph.url, 'mutation { ...Add } fragment Add on Mutation { addNote(input: { text: "a\\u0007" }) { text } }');
    expectBadInput(literal, 'input.text', /U\+0007/);
    // A variable for one field of an input written in the operation: named where it goes.
    const inLiteral = await execute(subgraph.url, 'mutation($d: Date) { addNote(input: { text: "ok", dueOn: $d }) { text } }', { d: '2026-13-01' });
    expectBadInput(inLiteral, 'input.dueOn', /Date invalide/);
    const idArgument = await execute(subgraph.url, 'query($id: ID!) { note(id: $id) { text } }', { id: 'x'.repeat(101) });
    expectBadInput(idArgument, 'id', /maximum permis est 100/);
    expect(await notes()).toBe(before);
  });

  it('lets well-formed text through: accents, emoji (one character each), line breaks where multi-line', async () => {
    const before = await notes();
    const text = `Église Saint-Jean 🎉 ${'é'.repeat(80)}`;
    expect([...text]).toHaveLength(100);
    const response = await execute(subgraph.url, ADD_NOTE, { input: { text, comment: 'deux\r\nlignes\tici', remindOn: '2028-02-29' } });
    expect(response).toEqual({ data: { addNote: { text } }, errors: undefined });
    expect(await notes()).toBe(before + 1);
  });

  it('_entities: a type this subgraph does not resolve, or a malformed representation, is BAD_USER_INPUT', async () => {
    const entities = (representations: unknown[]) =>
      execute(subgraph.url, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Note { text } } }', { r: representations });
    expect(await entities([{ __typename: 'Note', id: NOTE_ID }])).toEqual({ data: { _entities: [{ text: 'Bonjour' }] }, errors: undefined });
    expectBadInput(await entities([{ __typename: 'Note', id: NOTE_ID }, { __typename: 'Inconnu', id: '1' }]), 'representations.1.__typename', /type que ce service ne résout pas/);
    expectBadInput(await entities([{ id: NOTE_ID }]), 'representations.0.__typename', /type que ce service ne résout pas/);
    expectBadInput(await entities([{ __typename: 'Note' }]), 'representations.0', /n'a pas la clé de son type \(id\)/);
    expectBadInput(await entities(['Note']), 'representations.0', /doit être un objet/);
    expectBadInput(await entities([{ __typename: 'Note', id: 'a\u0000' }]), 'representations.0.id', /U\+0000/);
  });
});

describe('operation limits of a subgraph (SUBGRAPH_MAX_…)', () => {
  /** `note { related { … text } }`, `depth` fields from `note` to `text`, one note a level (cheap). */
  const nested = (depth: number) => `{ note(id: "${NOTE_ID}") { ${'related(first: 1) { '.repeat(depth - 2)}text${' }'.repeat(depth - 2)} } }`;

  const expectRefused = async (query: string, code: string, french: RegExp, variables: Record<string, unknown> = {}) => {
    const response = await post(JSON.stringify({ query, variables }));
    expect(response.status).toBe(400);
    const body = (await response.json()) as GraphQLResponse<unknown>;
    expect(body.data ?? undefined).toBeUndefined();
    expect(body.errors?.find((error) => error.extensions?.code === code)?.message).toMatch(french);
  };

  it('depth: fragments are not levels, fields are', async () => {
    expect((await execute(subgraph.url, nested(4))).errors).toBeUndefined();
    const withFragments = `{ note(id: "${NOTE_ID}") { ... on Note { related(first: 1) { ... on Note { related(first: 1) { text } } } } } }`;
    expect((await execute(subgraph.url, withFragments)).errors).toBeUndefined();
    await expectRefused(nested(5), 'QUERY_TOO_DEEP', /profondeur maximale permise \(4\)/);
  });

  it('aliases, root fields, directives and tokens', async () => {
    await expectRefused('{ a: slow b: slow c: slow d: slow }', 'TOO_MANY_ALIASES', /plus de 3 alias/);
    await expectRefused('{ requestId refused crash badSql }', 'TOO_MANY_ROOT_FIELDS', /4 champs racines/);
    await expectRefused('{ requestId @include(if: true) slow @include(if: true) crash @skip(if: false) badSql @skip(if: false) }', 'TOO_MANY_DIRECTIVES', /plus de 3 directives/);
    await expectRefused(`{ note(id: "${NOTE_ID}") { ${'text '.repeat(60)} } }`, 'TOO_MANY_TOKENS', /plus de 60 jetons lexicaux/);
  });

  it('cost: with the variables as sent, `_entities` once per representation', async () => {
    // The note, then n related notes, each with n more (text is free): 1 + n × (1 + n); 13 with
    // `first: 3`, 421 with 20.
    const costly = 'query($n: Int) { note(id: "' + NOTE_ID + '") { related(first: $n) { related(first: $n) { text } } } }';
    expect((await execute(subgraph.url, costly, { n: 3 })).errors).toBeUndefined();
    await expectRefused(costly, 'QUERY_TOO_COMPLEX', /coût estimé 421; maximum permis 50/, { n: 20 });
    const entities = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Note { text } } }';
    const representations = (n: number) => Array.from({ length: n }, () => ({ __typename: 'Note', id: NOTE_ID }));
    // One note per representation: 50 is the limit, 51 above it.
    expect((await execute(subgraph.url, entities, { r: representations(50) })).errors).toBeUndefined();
    await expectRefused(entities, 'QUERY_TOO_COMPLEX', /coût estimé 51/, { r: representations(51) });
  });
});

describe('requests refused before any operation runs, in the GraphQL error shape', () => {
  it('an operationName the document does not define: HTTP 400, OPERATION_RESOLUTION_FAILURE', async () => {
    const response = await post(JSON.stringify({ query: 'query A { requestId }', operationName: 'B' }));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [{ message: 'Le document ne définit aucune opération du nom donné dans operationName.', extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } }],
    });
  });

  it.each([
    ['broken JSON', 400, () => post('{"query": "{ requestId }"'), /n'est pas un JSON valide/],
    ['an unknown route', 404, () => post('{}', { 'content-type': 'application/json' }, '/nulle-part'), /Aucune ressource à cette adresse \(POST\)/],
    ['a body over the limit', 413, () => post(JSON.stringify({ query: '{ requestId }', pad: 'x'.repeat(1_048_576) })), /taille maximale permise \(1048576 octets\)/],
    ['a content type other than JSON', 415, () => post('<query/>', { 'content-type': 'application/xml' }), /Type de contenu non pris en charge/],
  ])('%s: HTTP %i, a French message, never Fastify’s own body', async (_case, status, send, french) => {
    const response = await send();
    expect(response.status).toBe(status);
    const text = await response.text();
    expect(text).not.toMatch(/FST_ERR|statusCode/);
    const body = JSON.parse(text) as { errors: Array<{ message: string; extensions: Record<string, unknown> }> };
    expect(body.errors).toEqual([{ message: expect.stringMatching(french), extensions: { code: status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST' } }]);
  });
});
