import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { EventType, recordOutbox, ServiceCode, stableId, type Audience, type BusMessage, type DomainEvent, type EventSubject } from '@pgamr/kit';
import { raiseDueDeadlineNotices } from '../subgraphs/mandates/src/report/report-deadlines';
import { writeInbox } from '../subgraphs/notifications/src/inbox/inbox-writer';
import { eventually } from './support/eventually';
import { execute } from './support/graphql';
import { bearer, signIn } from './support/session';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
type Headers = Record<string, string>;
const MAGOG = stableId('organization', 'MUN-45072');
const TECQ = stableId('online-service', ServiceCode.Tecq);
const OPEN_TECQ_DOSSIER = stableId('dossier', 'MAG-TECQ-2025');
const gateway = (query: string, variables: Record<string, unknown>, headers: Headers) => execute<any>(stack.gatewayUrl, query, variables, headers);
const as = async (code: string) => bearer(await signIn(stack.gatewayUrl, code));
const idOf = async (headers: Headers): Promise<string> => String((await gateway('{ me { id } }', {}, headers)).data.me.id);

/** The deliveries the inbox writer recorded (in the subgraph's outbox too). */
const deliveries: BusMessage[] = [];
/** An event as a producing subgraph would raise it, written to the inbox as its consumer does: for the producers still to come (mandates). */
async function raise(type: EventType, subject: EventSubject, audiences: Audience[]): Promise<DomainEvent> {
  const event: DomainEvent = {
    id: randomUUID(),
    type,
    source: subject.typename.startsWith('Access') ? 'services' : 'mandates',
    occurredAt: new Date().toISOString(),
    organizationId: MAGOG,
    serviceId: TECQ,
    subject,
    audiences,
    data: {},
  };
  const em = stack.subgraphs.notifications.database.orm.em.fork();
  await writeInbox(em, event, (tx: EntityManager, message) => {
    recordOutbox(tx, message);
    deliveries.push(message);
  });
  return event;
}

const MINE = `{ myNotifications(first: 100) { unreadCount nodes { id type subject {
  __typename ... on AccessRequest { status requester { givenName } } ... on Dossier { title } } } } }`;
const ONE = 'query($id: ID!) { notification(id: $id) { id subject { ... on AccessRequest { status } ... on Dossier { title } } } }';
const seenBy = async (headers: Headers) => (await gateway(MINE, {}, headers)).data.myNotifications.nodes as Array<{ id: string; type: string; subject: unknown }>;

let isabelle: Headers;
let marc: Headers;
let caroline: Headers;
let sophie: Headers;
let amelie: Headers;

beforeAll(async () => {
  stack = await startStack();
  // Isabelle manages TECQ at Magog; Marc works in it; Caroline, of Magog, has no right on it;
  // Sophie is of Sherbrooke; Amélie, a firm's mandataire.
  [isabelle, marc, caroline, sophie, amelie] = await Promise.all([as('MAG0000001'), as('MAG0000002'), as('MAG0000004'), as('SHE0000001'), as('GCE0000002')]);
});

afterAll(async () => {
  await stack?.close();
});

describe('issue 19: the inbox through the gateway', () => {
  it('R8, R10, R20: a request filed through services reaches its local manager by the event bus, the request resolved by services; nobody else sees it', async () => {
    const asked = await gateway('mutation($s: ID!) { requestAccess(input: { serviceId: $s }) { accessRequest { id kind } } }', { s: TECQ }, caroline);
    expect(asked.errors).toBeUndefined();
    const request = asked.data.requestAccess.accessRequest as { id: string; kind: string };
    // Services' outbox → relay → bus → the inbox's consumer: at least once, some time after the commit.
    const FILED = '{ myNotifications(first: 100) { nodes { id type subject { ... on AccessRequest { id status requester { givenName } } } } } }';
    type Filed = { id: string; type: string; subject: { id: string } | null };
    const filed = await eventually(async () => ((await gateway(FILED, {}, isabelle)).data.myNotifications.nodes as Filed[]).find((node) => node.subject?.id === request.id), 600, 100);
    expect(filed).toEqual({ id: expect.any(String), type: 'ACCESS_REQUEST_FILED', subject: { id: request.id, status: 'PENDING', requester: { givenName: 'Caroline' } } });
    for (const other of [marc, caroline, sophie, amelie]) {
      expect((await seenBy(other)).map((node) => node.id)).not.toContain(filed.id);
      expect((await gateway(ONE, { id: filed.id }, other)).data).toEqual({ notification: null });
    }
  });

  it('R8, R20: the subject is null for a reader named in the event who may not read the record now', async () => {
    const asked = await gateway('mutation($s: ID!) { requestAccess(input: { serviceId: $s }) { accessRequest { id } } }', { s: stableId('online-service', ServiceCode.Prabam) }, caroline);
    expect(asked.errors).toBeUndefined();
    const subject = { typename: 'AccessRequest' as const, id: asked.data.requestAccess.accessRequest.id as string };
    const decided = await raise(EventType.AccessRequestDecided, subject, [{ kind: 'USERS', userIds: [await idOf(caroline), await idOf(marc)] }]);
    // Its requester reads the request; Marc, neither its requester nor a manager of it, does not.
    expect((await gateway(ONE, { id: decided.id }, caroline)).data.notification).toEqual({ id: decided.id, subject: { status: 'PENDING' } });
    const marcs = await gateway(ONE, { id: decided.id }, marc);
    expect(marcs.data.notification).toEqual({ id: decided.id, subject: null });
  });

  it("R14, R17, R20: a dossier's new status reaches who works in TECQ at Magog, with the dossier resolved by mandates; not a user without the right, another organization or a mandataire not named", async () => {
    const changed = await raise(EventType.DossierStatusChanged, { typename: 'Dossier', id: OPEN_TECQ_DOSSIER }, [{ kind: 'SERVICE_USERS', organizationId: MAGOG, serviceId: TECQ }]);
    const marcs = (await seenBy(marc)).find((node) => node.id === changed.id);
    expect(marcs).toEqual({ id: changed.id, type: 'DOSSIER_STATUS_CHANGED', subject: { __typename: 'Dossier', title: expect.any(String) } });
    for (const other of [caroline, sophie, amelie]) {
      expect((await seenBy(other)).map((node) => node.id)).not.toContain(changed.id);
    }
  });

  it("R13, R18, R20: a body that has not opened its report is told by mandates' deadline watch: its répondant sees the notice, about no record, with the fiscal year; not its PERFORM preparer", async () => {
    // Magog has reports up to 2025 (seed): none for 2026, whose deadline is 30 June 2027.
    await raiseDueDeadlineNotices(stack.subgraphs.mandates.database.orm.em.fork(), new Date('2027-06-10T12:00:00-04:00'));
    const DEADLINES = '{ myNotifications(first: 100) { nodes { id type data organization { id } subject { __typename } } } }';
    type Notice = { id: string; type: string; data: Record<string, unknown>; organization: unknown; subject: unknown };
    const forYear = (nodes: Notice[]) => nodes.find((node) => node.type === 'REPORT_DEADLINE_NEAR' && node.data.fiscalYear === 2026);
    // Mandates' outbox → relay → bus → the inbox's consumer.
    const notice = await eventually(async () => forYear((await gateway(DEADLINES, {}, isabelle)).data.myNotifications.nodes), 600, 100);
    expect(notice).toEqual({ id: expect.any(String), type: 'REPORT_DEADLINE_NEAR', data: { fiscalYear: 2026, deadline: '2027-06-30' }, organization: null, subject: null });
    expect(forYear((await gateway(DEADLINES, {}, caroline)).data.myNotifications.nodes)).toBeUndefined();
    expect((await gateway(ONE, { id: notice.id }, sophie)).data).toEqual({ notification: null });
  });

  it('marks read through the gateway: the unread count follows; ids of others are ignored', async () => {
    const mine = await raise(EventType.AccessRightGranted, { typename: 'AccessRight', id: randomUUID() }, [{ kind: 'USERS', userIds: [await idOf(sophie)] }]);
    const others = await raise(EventType.AccessRightGranted, { typename: 'AccessRight', id: randomUUID() }, [{ kind: 'USERS', userIds: [await idOf(marc)] }]);
    const MARK = 'mutation($ids: [ID!]) { markNotificationsRead(input: { ids: $ids }) { unreadCount } }';
    const marked = await gateway(MARK, { ids: [mine.id, others.id] }, sophie);
    expect(marked.errors).toBeUndefined();
    // Other test files' events reach this stack's inbox too (a shared broker): the count is checked exactly in the subgraph's test.
    expect(marked.data.markNotificationsRead.unreadCount).toEqual(expect.any(Number));
    const sophies = (await gateway('{ myNotifications(first: 100, unreadOnly: true) { nodes { id } } }', {}, sophie)).data.myNotifications.nodes;
    expect(sophies).not.toContainEqual({ id: mine.id });
    const marcsOwn = (await gateway('{ myNotifications(first: 100, unreadOnly: true) { nodes { id readAt } } }', {}, marc)).data.myNotifications.nodes;
    expect(marcsOwn).toContainEqual({ id: others.id, readAt: null });
  });
});
