import { stableId, type BusMessage, type DomainEvent } from '@pgamr/kit';
import { uniqueToken, waitFor } from '@pgamr/kit/testing';
import { execute } from './support/graphql';
import { bearer, signIn } from './support/session';
import { newUserOf } from './support/new-user';
import { startStack, type Stack } from './support/stack';

// Issue 19: the services subgraph raises its events in the transaction of the change and of its
// audit entry (the outbox), with the audiences of the contract; the relay publishes them.
let stack: Stack;
const TECQ = stableId('online-service', 'TECQ');
const SOPHIE = stableId('user', 'SHE0000001');
const published: BusMessage[] = [];

beforeAll(async () => {
  stack = await startStack();
  // A durable of this file's own: on a shared broker, the stream also holds other files' events.
  await stack.eventBus.bus.consume(uniqueToken('access-events'), 'pgamr.events.services.>', async (message) => void published.push(message));
});

afterAll(async () => {
  await stack?.close();
});

type Headers = Record<string, string>;
const gateway = (query: string, variables: Record<string, unknown>, headers: Headers) => execute<any>(stack.gatewayUrl, query, variables, headers);
const as = async (code: string, password?: string) => bearer(await signIn(stack.gatewayUrl, code, password));
const sql = <T>(statement: string, parameters: unknown[] = []): Promise<T[]> =>
  stack.subgraphs.services.database.orm.em.getConnection().execute(statement, parameters);

/**
 * The outbox's events about one record, oldest first, with the transaction that wrote each: its
 * `transaction_id`, as the 32-bit id a row's `xmin` shows (the relay's update has rewritten the
 * outbox row's own `xmin` once it is published).
 */
const eventsAbout = (id: string) =>
  sql<{ id: string; subject: string; payload: DomainEvent; xid: string }>(
    `select id, subject, payload, (transaction_id % 4294967296)::text as xid from event_outbox where payload->'subject'->>'id' = ? order by created_at, id`,
    [id],
  );
/** The transaction that last wrote a row of `table`. */
const writtenBy = async (table: 'access_request' | 'access_right', id: string) => (await sql<{ xid: string }>(`select xmin::text as xid from ${table} where id = ?`, [id]))[0]?.xid;
/** The actions audited by one transaction. */
const auditedIn = async (xid: string) => (await sql<{ action: string }>(`select action from audit_event where xmin::text = ?`, [xid])).map((row) => row.action);


const REQUEST = 'mutation($s: ID!) { requestAccess(input: { serviceId: $s }) { accessRequest { id kind } } }';
const DECIDE = `mutation($r: ID!, $d: AccessDecision!, $why: String) {
  decideAccessRequest(input: { accessRequestId: $r, decision: $d, reason: $why }) { accessRequest { status } } }`;
const NAME_DEPUTY = `mutation($s: ID!, $u: ID!, $f: DateTime!, $t: DateTime!) {
  nameDeputy(input: { serviceId: $s, userId: $u, from: $f, until: $t }) { accessRight { id } } }`;
const REVOKE = 'mutation($r: ID!) { revokeAccessRight(input: { accessRightId: $r }) { accessRight { id } } }';
const requestId = async (headers: Headers) => (await gateway(REQUEST, { s: TECQ }, headers)).data.requestAccess.accessRequest.id as string;

/** Exactly one event about the record, of `type`, written by the transaction that changed it and audited it. */
async function theOneEvent(table: 'access_request' | 'access_right', recordId: string, type: string): Promise<DomainEvent> {
  const events = (await eventsAbout(recordId)).filter((event) => event.payload.type === type);
  expect(events).toHaveLength(1);
  const [event] = events;
  expect(event!.subject).toBe(`pgamr.events.services.${type}`);
  expect(event!.id).toBe(event!.payload.id);
  const changedBy = await writtenBy(table, recordId);
  expect(event!.xid).toBe(changedBy);
  expect((await auditedIn(changedBy!)).length).toBeGreaterThan(0);
  return event!.payload;
}

describe('issue 19: the events of the services subgraph', () => {
  let sophie: Headers;
  let dgi: Headers;
  let firstRequest: string;
  let colleague: { id: string; headers: Headers };

  beforeAll(async () => {
    [sophie, dgi] = await Promise.all([as('SHE0000001'), as('MAM0000002')]);
  });

  it("R8: a first request to become local manager is filed for the owner direction's staff", async () => {
    firstRequest = await requestId(sophie);
    const event = await theOneEvent('access_request', firstRequest, 'ACCESS_REQUEST_FILED');
    expect(event).toMatchObject({
      source: 'services',
      organizationId: stableId('organization', 'MUN-43027'),
      serviceId: TECQ,
      subject: { typename: 'AccessRequest', id: firstRequest },
      // Nobody manages TECQ at Sherbrooke yet: no user to name.
      audiences: [{ kind: 'OWNER_STAFF', serviceId: TECQ }],
      data: { kind: 'LOCAL_MANAGER' },
    });
  });

  it('a refused change writes no event (no partial write)', async () => {
    // Sophie cannot decide her own request; a refusal without a reason is refused.
    expect((await gateway(DECIDE, { r: firstRequest, d: 'GRANT' }, sophie)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await gateway(DECIDE, { r: firstRequest, d: 'REFUSE' }, dgi)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await eventsAbout(firstRequest)).map((event) => event.payload.type)).toEqual(['ACCESS_REQUEST_FILED']);
  });

  it('R8: the decision is told to the requester alone, once (the rights it grants raise no event of their own)', async () => {
    expect((await gateway(DECIDE, { r: firstRequest, d: 'GRANT' }, dgi)).data.decideAccessRequest.accessRequest.status).toBe('GRANTED');
    const event = await theOneEvent('access_request', firstRequest, 'ACCESS_REQUEST_DECIDED');
    expect(event).toMatchObject({ audiences: [{ kind: 'USERS', userIds: [SOPHIE] }], data: { decision: 'GRANTED' } });
    const granted = await sql<{ id: string }>(`select id from access_right where service_id = ? and user_id = ? and revoked_at is null`, [TECQ, SOPHIE]);
    expect(granted.length).toBeGreaterThan(0);
    for (const right of granted) expect(await eventsAbout(right.id)).toEqual([]);
  });

  it('R10: a request is filed for the local manager and the deputies in their period', async () => {
    colleague = await newUserOf(stack.gatewayUrl, sophie, 'Alexis');
    const asked = await requestId(colleague.headers);
    expect((await theOneEvent('access_request', asked, 'ACCESS_REQUEST_FILED')).audiences).toEqual([{ kind: 'USERS', userIds: [SOPHIE] }]);
    expect((await gateway(DECIDE, { r: asked, d: 'GRANT' }, sophie)).errors).toBeUndefined();

    const now = Date.now();
    const named = await gateway(NAME_DEPUTY, { s: TECQ, u: colleague.id, f: new Date(now - 3_600_000).toISOString(), t: new Date(now + 86_400_000).toISOString() }, sophie);
    const deputyRight = named.data.nameDeputy.accessRight.id as string;
    expect(await theOneEvent('access_right', deputyRight, 'ACCESS_RIGHT_GRANTED')).toMatchObject({
      subject: { typename: 'AccessRight', id: deputyRight },
      audiences: [{ kind: 'USERS', userIds: [colleague.id] }],
      data: { role: 'DEPUTY_MANAGER' },
    });

    const third = await newUserOf(stack.gatewayUrl, sophie, 'Béatrice');
    const thirdRequest = await requestId(third.headers);
    const filed = await theOneEvent('access_request', thirdRequest, 'ACCESS_REQUEST_FILED');
    expect(filed.audiences).toHaveLength(1);
    expect(filed.audiences[0]).toMatchObject({ kind: 'USERS' });
    expect(new Set((filed.audiences[0] as { userIds: string[] }).userIds)).toEqual(new Set([SOPHIE, colleague.id]));
  });

  it("a revoked right is told to its holder, once; every event reaches the bus", async () => {
    const [right] = await sql<{ id: string }>(`select id from access_right where service_id = ? and user_id = ? and role = 'USER' and revoked_at is null`, [TECQ, colleague.id]);
    expect((await gateway(REVOKE, { r: right!.id }, sophie)).errors).toBeUndefined();
    expect(await theOneEvent('access_right', right!.id, 'ACCESS_RIGHT_REVOKED')).toMatchObject({
      audiences: [{ kind: 'USERS', userIds: [colleague.id] }],
      data: { role: 'USER' },
    });

    const outbox = await sql<{ id: string }>(`select id from event_outbox`);
    await waitFor(() => outbox.every((row) => published.some((message) => message.id === row.id)), { timeoutMs: 30_000, description: 'every outbox event on the bus' });
    const mine = published.filter((message) => outbox.some((row) => row.id === message.id));
    expect(new Set(mine.map((message) => message.id)).size).toBe(outbox.length);
    await waitFor(async () => (await sql<{ n: string }>(`select count(*) as n from event_outbox where published_at is null`))[0]?.n === '0', { timeoutMs: 30_000, description: 'the outbox marked published' });
  });
});
