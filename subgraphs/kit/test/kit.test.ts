import { pendingSchemaChanges, startTestSubgraph, type TestSubgraph, execute, waitFor } from '../src/testing';
import { fixtureSubgraph, NOTE_ID, slowField } from './fixture-subgraph';

let subgraph: TestSubgraph;
const logLines: string[] = [];

beforeAll(async () => {
  subgraph = await startTestSubgraph(fixtureSubgraph, { logLines });
});

afterAll(async () => {
  await subgraph?.close();
});

describe('the subgraph kit', () => {
  it('migrates, seeds, and serves entities through a loader', async () => {
    expect(await pendingSchemaChanges(subgraph.database.orm)).toBe('');
    const { data } = await execute(subgraph.url, `{ note(id: "${NOTE_ID}") { text } missing: note(id: "nope") { text } }`);
    expect(data).toEqual({ note: { text: 'Bonjour' }, missing: null });
  });

  it('keeps a domain error as it is: French message and stable code', async () => {
    const { errors } = await execute(subgraph.url, '{ refused }');
    expect(errors).toEqual([
      expect.objectContaining({
        message: 'Le montant doit être positif.',
        path: ['refused'],
        extensions: { code: 'BAD_USER_INPUT', field: 'amount' },
      }),
    ]);
  });

  it.each(['crash', 'badSql'])('masks an unexpected failure (%s): no internal message, stack, address or SQL', async (field) => {
    const response = await fetch(subgraph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ ${field} }` }),
    });
    const body = await response.text();
    const { errors } = JSON.parse(body) as { errors: Array<{ message: string; extensions: Record<string, unknown> }> };
    expect(errors).toHaveLength(1);
    expect(errors[0]?.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(errors[0]?.message).toMatch(/^Une erreur interne est survenue/);
    for (const leak of ['ECONNREFUSED', '10.0.0.5', 'node_modules', 'stacktrace', 'select', 'secret_column', 'table_that_does_not_exist']) {
      expect(body).not.toContain(leak);
    }
  });

  it("logs a failed statement's code and shape, never the values bound to it (personal data)", async () => {
    const typed = 'Nadia Ouellet 819-843-6501';
    const { errors } = await execute(subgraph.url, 'query($id: String!) { noteByRawId(id: $id) { text } }', { id: typed }, { 'x-request-id': 'req-log-values-1' });
    expect(errors?.[0]?.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    const lines = logLines.filter((line) => line.includes('req-log-values-1'));
    const logged = lines.map((line) => JSON.parse(line) as { err?: Record<string, unknown> }).find((line) => line.err);
    expect(logged?.err).toMatchObject({ code: '22P02', statement: 'select * from "note" where "id" = ?' });
    expect(lines.join('\n')).not.toContain('Nadia');
    expect(lines.join('\n')).not.toContain('843-6501');
  });

  it('takes a well-formed x-request-id from the caller and echoes it; makes one up otherwise', async () => {
    const query = async (headers: Record<string, string>) => {
      const response = await fetch(subgraph.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: '{ requestId }' }),
      });
      const { data } = (await response.json()) as { data: { requestId: string } };
      return { header: response.headers.get('x-request-id'), seen: data.requestId };
    };
    expect(await query({ 'x-request-id': 'req-0123456789' })).toEqual({ header: 'req-0123456789', seen: 'req-0123456789' });
    const invented = await query({ 'x-request-id': 'bad id with spaces' });
    expect(invented.seen).toMatch(/^[0-9a-f-]{36}$/);
    expect(invented.header).toBe(invented.seen);
  });

  it('answers /health and /ready', async () => {
    const health = await fetch(`${subgraph.origin}/health`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
    const ready = await fetch(`${subgraph.origin}/ready`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);
  });
});

describe('shutdown', () => {
  it('lets a request in flight finish, then stops listening', async () => {
    const own = await startTestSubgraph(fixtureSubgraph, { seedDemoData: false });
    const startedBefore = slowField.started();
    const inFlight = execute<{ slow: string }>(own.url, '{ slow }');
    await waitFor(() => slowField.started() > startedBefore, { description: 'the slow request in its resolver' });
    const closing = own.close();
    slowField.release();
    expect(await inFlight).toEqual({ data: { slow: 'fini' }, errors: undefined });
    await closing;
    await expect(fetch(`${own.origin}/health`)).rejects.toThrow();
  });

  it('/ready answers 503 once the database is unreachable, while /health still answers', async () => {
    const own = await startTestSubgraph(fixtureSubgraph, { seedDemoData: false });
    try {
      await own.database.orm.close(true);
      expect((await fetch(`${own.origin}/ready`)).status).toBe(503);
      expect((await fetch(`${own.origin}/health`)).status).toBe(200);
    } finally {
      await own.close();
    }
  });
});
