import { randomUUID } from 'node:crypto';
import { EventType, IdentityRole, recordOutbox as recordInOutbox, ServiceCode, ServiceRole, stableId, Subjects, type Audience, type BusMessage, type DomainEvent } from '@pgamr/kit';
import { createTestEventBus, execute, pendingSchemaChanges, startTestSubgraph, startTestTokenIssuer, uniqueToken, waitFor, type TestEventBus, type TestSubgraph, type TestTokenIssuer } from '@pgamr/kit/testing';
import type { EntityManager } from '@mikro-orm/postgresql';
import { parseDomainEvent } from '../src/inbox/domain-event';
import { writeInbox } from '../src/inbox/inbox-writer';
import { deleteExpiredNotifications, RETENTION_DAYS } from '../src/inbox/retention';
import { notificationsSubgraphWith } from '../src/server';

const MAGOG = stableId('organization', 'MUN-45072');
const SHERBROOKE = stableId('organization', 'MUN-43027');
const FIRM = stableId('organization', 'FIRM-test-notifications');
const TECQ = stableId('online-service', ServiceCode.Tecq);
const PERFORM = stableId('online-service', ServiceCode.Perform);

const user = (name: string) => stableId('user', `notifications-${name}`);
const people = {
  requester: { userId: user('requester'), organizationId: MAGOG },
  colleague: { userId: user('colleague'), organizationId: MAGOG },
  worker: { userId: user('worker'), organizationId: MAGOG },
  manager: { userId: user('manager'), organizationId: MAGOG },
  signatory: { userId: user('signatory'), organizationId: MAGOG },
  preparer: { userId: user('preparer'), organizationId: MAGOG },
  stranger: { userId: user('stranger'), organizationId: SHERBROOKE },
  strangerWorker: { userId: user('stranger-worker'), organizationId: SHERBROOKE },
  staff: { userId: user('staff'), organizationId: stableId('organization', 'MAMH'), roles: [IdentityRole.MinistryStaff] as string[], direction: 'DGI' },
  firmRse: { userId: user('firm-rse'), organizationId: FIRM, roles: [IdentityRole.Rse] as string[] },
  firmColleague: { userId: user('firm-colleague'), organizationId: FIRM },
  mandataire: { userId: user('mandataire'), organizationId: FIRM },
  otherMandataire: { userId: user('other-mandataire'), organizationId: FIRM },
  otherRse: { userId: user('other-rse'), organizationId: SHERBROOKE, roles: [IdentityRole.Rse] as string[] },
  /** Sherbrooke's répondant municipal: Sherbrooke has no PERFORM report in the R18 tests. */
  strangerRespondent: { userId: user('stranger-respondent'), organizationId: SHERBROOKE },
} as const;
type Person = keyof typeof people;

let subgraph: TestSubgraph;
let issuer: TestTokenIssuer;
let eventBus: TestEventBus;
const headers = {} as Record<Person, Record<string, string>>;
/** What the writer put in the outbox: the kit's recordOutbox, each message also kept here to look at. */
const outbox: BusMessage[] = [];
const recordOutbox = (em: EntityManager, message: BusMessage) => {
  recordInOutbox(em, message);
  outbox.push(message);
};
const em = () => subgraph.database.orm.em.fork();

let clockMs = Date.parse('2026-06-01T12:00:00Z');
/** A domain event whose instant moves forward one minute per event, so the newest is the last written. */
function event(type: EventType, audiences: Audience[], overrides: Partial<DomainEvent> = {}): DomainEvent {
  clockMs += 60_000;
  return {
    id: randomUUID(),
    type,
    source: 'services',
    occurredAt: new Date(clockMs).toISOString(),
    organizationId: MAGOG,
    serviceId: TECQ,
    subject: { typename: 'AccessRequest', id: randomUUID() },
    audiences,
    data: { status: 'PENDING' },
    ...overrides,
  };
}

const LIST = `query($first: Int, $after: String, $unreadOnly: Boolean) {
  myNotifications(first: $first, after: $after, unreadOnly: $unreadOnly) {
    totalCount unreadCount nodes { id type readAt } edges { cursor } pageInfo { hasNextPage hasPreviousPage endCursor } } }`;
interface ListAnswer {
  myNotifications: {
    totalCount: number;
    unreadCount: number;
    nodes: Array<{ id: string; type: string; readAt: string | null }>;
    edges: Array<{ cursor: string }>;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
  };
}
async function idsSeenBy(person: Person): Promise<string[]> {
  const answer = await execute<ListAnswer>(subgraph.url, LIST, { first: 100 }, headers[person]);
  expect(answer.errors).toBeUndefined();
  return answer.data!.myNotifications.nodes.map((node) => node.id);
}
/** Who, among everyone, sees the notification. */
async function readersOf(id: string): Promise<Person[]> {
  const everyone = Object.keys(people) as Person[];
  const seen = await Promise.all(everyone.map(async (person) => ((await idsSeenBy(person)).includes(id) ? person : null)));
  return seen.filter((person): person is Person => person !== null).sort();
}

beforeAll(async () => {
  issuer = await startTestTokenIssuer();
  eventBus = await createTestEventBus('notifications');
  // A durable of this file's own: on a shared broker, the stream holds other files' events too.
  const definition = notificationsSubgraphWith({ inboxConsumer: uniqueToken('notifications-inbox') });
  subgraph = await startTestSubgraph(definition, { jwksUrl: issuer.jwksUrl, rightsUrl: issuer.rightsUrl, eventBus: eventBus.bus });
  for (const [name, claims] of Object.entries(people)) {
    headers[name as Person] = { authorization: `Bearer ${await issuer.mint(claims)}` };
  }
  issuer.grant(people.worker.userId, { serviceId: TECQ, organizationId: MAGOG, role: ServiceRole.User });
  issuer.grant(people.manager.userId, { serviceId: TECQ, organizationId: MAGOG, role: ServiceRole.LocalManager });
  issuer.grant(people.strangerWorker.userId, { serviceId: TECQ, organizationId: SHERBROOKE, role: ServiceRole.User });
  issuer.grant(people.signatory.userId, { serviceId: PERFORM, organizationId: MAGOG, role: ServiceRole.PerformSignatory });
  issuer.grant(people.preparer.userId, { serviceId: PERFORM, organizationId: MAGOG, role: ServiceRole.PerformPreparer });
  issuer.grant(people.strangerRespondent.userId, { serviceId: PERFORM, organizationId: SHERBROOKE, role: ServiceRole.MunicipalRespondent });
  issuer.administer(people.staff.userId, TECQ);
});

afterAll(async () => {
  await subgraph?.close();
  await eventBus?.close();
  await issuer?.close();
});

describe('notifications subgraph: the inbox (issue 19)', () => {
  it('has migrations that build exactly the schema its entities describe', async () => {
    expect(await pendingSchemaChanges(subgraph.database.orm)).toBe('');
  });

  it('writes an event once, however often it is delivered, with one delivery in the outbox', async () => {
    const filed = event(EventType.AccessRequestFiled, [{ kind: 'USERS', userIds: [people.manager.userId] }, { kind: 'OWNER_STAFF', serviceId: TECQ }]);
    const before = outbox.length;
    expect(await writeInbox(em(), filed, recordOutbox)).toBe(true);
    expect(await writeInbox(em(), filed, recordOutbox)).toBe(false);
    const [rows] = await em().execute<Array<{ notifications: number; audiences: number }>>(
      `select (select count(*)::int from notification where id = ?) as notifications, (select count(*)::int from notification_audience where notification_id = ?) as audiences`,
      [filed.id, filed.id],
    );
    expect(rows).toEqual({ notifications: 1, audiences: 2 });
    const delivery = stableId('notification-delivered', filed.id);
    expect(await em().execute(`select subject from event_outbox where id = ?`, [delivery])).toEqual([{ subject: Subjects.notification(EventType.AccessRequestFiled) }]);
    expect(outbox.slice(before)).toEqual([
      {
        subject: `pgamr.notifications.${EventType.AccessRequestFiled}`,
        id: stableId('notification-delivered', filed.id),
        payload: { notificationId: filed.id, eventId: filed.id, type: filed.type, organizationId: MAGOG, serviceId: TECQ, audiences: filed.audiences },
      },
    ]);
  });

  it('writes nothing of an event whose delivery cannot be recorded (one transaction)', async () => {
    const filed = event(EventType.AccessRequestFiled, [{ kind: 'USERS', userIds: [people.manager.userId] }]);
    const failing = (tx: EntityManager) => {
      // The notification and its audiences are already in the transaction when the delivery fails.
      expect(tx.isInTransaction()).toBe(true);
      throw new Error('outbox unavailable');
    };
    await expect(writeInbox(em(), filed, failing)).rejects.toThrow('outbox unavailable');
    expect(await em().execute(`select id from notification where id = ?`, [filed.id])).toEqual([]);
    expect(await writeInbox(em(), filed, recordOutbox)).toBe(true);
  });

  it('consumes the bus at least once: an event delivered twice is one notification, a malformed message is set aside, and the delivery reaches the gateways’ subjects', async () => {
    const filed = event(EventType.AccessRequestFiled, [{ kind: 'USERS', userIds: [people.manager.userId] }]);
    const delivered: BusMessage[] = [];
    const following = await eventBus.bus.follow(Subjects.allNotifications, (message) => void delivered.push(message));
    try {
      await eventBus.bus.publish({ subject: 'pgamr.events.services.ACCESS_REQUEST_FILED', id: randomUUID(), payload: { id: 'pas-un-id', type: 'ACCESS_REQUEST_FILED' } });
      // The producer's relay publishing again after a crash, under another bus id: the inbox keeps one.
      await eventBus.bus.publish({ subject: Subjects.event(filed), id: filed.id, payload: filed });
      await eventBus.bus.publish({ subject: Subjects.event(filed), id: randomUUID(), payload: filed });
      const seen = await waitFor(async () => (await idsSeenBy('manager')).includes(filed.id), { timeoutMs: 60_000, description: 'the event in the inbox' });
      expect(seen).toBe(true);
      const deliveryId = stableId('notification-delivered', filed.id);
      await waitFor(() => delivered.some((message) => message.id === deliveryId), { timeoutMs: 60_000, description: 'the delivery on pgamr.notifications.>' });
      expect(delivered.find((message) => message.id === deliveryId)).toMatchObject({
        subject: Subjects.notification(EventType.AccessRequestFiled),
        payload: { notificationId: filed.id, type: EventType.AccessRequestFiled, audiences: filed.audiences },
      });
      // Both copies handled (the consumer moved past them): still one notification.
      const later = event(EventType.AccessRequestFiled, [{ kind: 'USERS', userIds: [people.manager.userId] }]);
      await eventBus.bus.publish({ subject: Subjects.event(later), id: later.id, payload: later });
      await waitFor(async () => (await idsSeenBy('manager')).includes(later.id), { timeoutMs: 60_000, description: 'a later event in the inbox' });
      expect(await em().execute(`select count(*)::int as count from notification where id = ?`, [filed.id])).toEqual([{ count: 1 }]);
    } finally {
      await following.stop();
    }
  });

  it('R8, R10, R20: USERS: exactly the users named see it', async () => {
    const decided = event(EventType.AccessRequestDecided, [{ kind: 'USERS', userIds: [people.requester.userId] }]);
    await writeInbox(em(), decided, recordOutbox);
    expect(await readersOf(decided.id)).toEqual(['requester']);
  });

  it('R8: OWNER_STAFF: the staff of the direction that owns the service, and nobody else', async () => {
    const first = event(EventType.AccessRequestFiled, [{ kind: 'OWNER_STAFF', serviceId: TECQ }], { organizationId: SHERBROOKE });
    await writeInbox(em(), first, recordOutbox);
    expect(await readersOf(first.id)).toEqual(['staff']);
  });

  it('R2, R15: FIRM_RSE and USERS: the mandataire named and their firm’s RSÉ; not a colleague, another mandataire, or another RSÉ', async () => {
    const granted = event(EventType.MandateGranted, [{ kind: 'USERS', userIds: [people.mandataire.userId] }, { kind: 'FIRM_RSE', firmOrganizationId: FIRM }], {
      subject: { typename: 'Mandate', id: randomUUID() },
      source: 'mandates',
    });
    await writeInbox(em(), granted, recordOutbox);
    expect(await readersOf(granted.id)).toEqual(['firmRse', 'mandataire']);
  });

  it('R14, R17, R20: SERVICE_USERS: who works in the service for the organization now; not its local manager alone, not another organization', async () => {
    const changed = event(EventType.DossierStatusChanged, [{ kind: 'SERVICE_USERS', organizationId: MAGOG, serviceId: TECQ }], {
      subject: { typename: 'Dossier', id: randomUUID() },
      source: 'mandates',
    });
    await writeInbox(em(), changed, recordOutbox);
    expect(await readersOf(changed.id)).toEqual(['worker']);
  });

  it('R13, R18: SERVICE_ROLES: holders of those roles on the service for the organization now', async () => {
    const near = event(EventType.ReportDeadlineNear, [{ kind: 'SERVICE_ROLES', organizationId: MAGOG, serviceId: PERFORM, roles: [ServiceRole.MunicipalRespondent, ServiceRole.PerformSignatory] }], {
      serviceId: PERFORM,
      subject: { typename: 'FinancialReport', id: randomUUID() },
      source: 'mandates',
    });
    await writeInbox(em(), near, recordOutbox);
    expect(await readersOf(near.id)).toEqual(['signatory']);
  });

  describe('R13, R18: SERVICE_ROLES_EXCEPT, the deadline for the bodies that have not opened their report', () => {
    /** As mandates raises it: every body but Magog, which has a report for 2026. */
    const noReportYet = () =>
      event(EventType.ReportDeadlineNear, [{ kind: 'SERVICE_ROLES_EXCEPT', serviceId: PERFORM, roles: [ServiceRole.MunicipalRespondent, ServiceRole.PerformSignatory], exceptOrganizationIds: [MAGOG] }], {
        organizationId: null,
        serviceId: PERFORM,
        subject: null,
        source: 'mandates',
        data: { fiscalYear: 2026, deadline: '2027-06-30' },
      });

    it('R13, R18, R20: the répondant of a body without a report sees it; not the signatory of an excepted body, a PERFORM preparer, nor a user of the body without a PERFORM role', async () => {
      const near = noReportYet();
      await writeInbox(em(), near, recordOutbox);
      expect(await readersOf(near.id)).toEqual(['strangerRespondent']);
    });

    it('R18: it is about no organization and no record: both null, the fiscal year in its data', async () => {
      const near = noReportYet();
      await writeInbox(em(), near, recordOutbox);
      const query = `query($id: ID!) { notification(id: $id) { id type data organization { id } subject { __typename } } }`;
      const seen = await execute<Record<string, unknown>>(subgraph.url, query, { id: near.id }, headers.strangerRespondent);
      expect(seen.errors).toBeUndefined();
      expect(seen.data).toEqual({
        notification: { id: near.id, type: 'REPORT_DEADLINE_NEAR', data: { fiscalYear: 2026, deadline: '2027-06-30' }, organization: null, subject: null },
      });
      expect(await em().execute(`select except_organization_ids from notification_audience where notification_id = ?`, [near.id])).toEqual([
        { except_organization_ids: [MAGOG] },
      ]);
    });

    it('R13, R20: judged when read: a role given later shows it, a revoked role hides it on the next request', async () => {
      const near = noReportYet();
      await writeInbox(em(), near, recordOutbox);
      const lateRespondent = user('late-respondent');
      const own = { authorization: `Bearer ${await issuer.mint({ userId: lateRespondent, organizationId: SHERBROOKE })}` };
      const seen = async () => (await execute<{ notification: { id: string } | null }>(subgraph.url, 'query($id: ID!) { notification(id: $id) { id } }', { id: near.id }, own)).data?.notification?.id ?? null;
      expect(await seen()).toBeNull();
      issuer.grant(lateRespondent, { serviceId: PERFORM, organizationId: SHERBROOKE, role: ServiceRole.MunicipalRespondent });
      expect(await seen()).toBe(near.id);
      issuer.revokeAll(lateRespondent);
      expect(await seen()).toBeNull();
      // The same role held for the excepted body shows nothing.
      issuer.grant(lateRespondent, { serviceId: PERFORM, organizationId: MAGOG, role: ServiceRole.MunicipalRespondent });
      expect(await seen()).toBeNull();
      issuer.revokeAll(lateRespondent);
    });
  });

  it('R20: rules are evaluated when read: a reader who loses the right stops seeing SERVICE_USERS and OWNER_STAFF notifications on the next request', async () => {
    const changed = event(EventType.DossierStatusChanged, [{ kind: 'SERVICE_USERS', organizationId: MAGOG, serviceId: TECQ }], { subject: { typename: 'Dossier', id: randomUUID() } });
    const first = event(EventType.AccessRequestFiled, [{ kind: 'OWNER_STAFF', serviceId: TECQ }]);
    await writeInbox(em(), changed, recordOutbox);
    await writeInbox(em(), first, recordOutbox);
    const lateWorker = user('late-worker');
    const lateStaff = user('late-staff');
    issuer.grant(lateWorker, { serviceId: TECQ, organizationId: MAGOG, role: ServiceRole.User });
    issuer.administer(lateStaff, TECQ);
    const workerHeaders = { authorization: `Bearer ${await issuer.mint({ userId: lateWorker, organizationId: MAGOG })}` };
    const staffHeaders = { authorization: `Bearer ${await issuer.mint({ ...people.staff, userId: lateStaff })}` };
    const seen = async (who: Record<string, string>, id: string) =>
      (await execute<{ notification: { id: string } | null }>(subgraph.url, '{ notification(id: "' + id + '") { id } }', {}, who)).data?.notification?.id ?? null;
    // A right granted after the event counts too: audiences are groups, not a list frozen when written.
    expect(await seen(workerHeaders, changed.id)).toBe(changed.id);
    expect(await seen(staffHeaders, first.id)).toBe(first.id);
    issuer.revokeAll(lateWorker);
    issuer.revokeAll(lateStaff);
    expect(await seen(workerHeaders, changed.id)).toBeNull();
    expect(await seen(staffHeaders, first.id)).toBeNull();
  });

  it('R20: notification(id) is null for one the reader does not see, for one that does not exist, and for an id that is not one', async () => {
    const decided = event(EventType.AccessRequestDecided, [{ kind: 'USERS', userIds: [people.requester.userId] }]);
    await writeInbox(em(), decided, recordOutbox);
    const query = `query($a: ID!, $b: ID!) { a: notification(id: $a) { id type occurredAt readAt data organization { id } subject { __typename ... on AccessRequest { id } } } b: notification(id: $b) { id } c: notification(id: "pas-un-id") { id } }`;
    const own = await execute<Record<string, unknown>>(subgraph.url, query, { a: decided.id, b: randomUUID() }, headers.requester);
    expect(own.errors).toBeUndefined();
    expect(own.data).toEqual({
      a: {
        id: decided.id,
        type: 'ACCESS_REQUEST_DECIDED',
        occurredAt: decided.occurredAt,
        readAt: null,
        data: { status: 'PENDING' },
        organization: { id: MAGOG },
        subject: { __typename: 'AccessRequest', id: decided.subject!.id },
      },
      b: null,
      c: null,
    });
    const other = await execute(subgraph.url, query, { a: decided.id, b: randomUUID() }, headers.colleague);
    expect(other.data).toEqual({ a: null, b: null, c: null });
  });

  it('lists newest first, a page at a time, with the unread count; marks read by ids and all, ignoring ids the reader does not see', async () => {
    const reader = { userId: user('pager'), organizationId: MAGOG };
    const own = { authorization: `Bearer ${await issuer.mint(reader)}` };
    const mine: DomainEvent[] = [];
    for (let i = 0; i < 5; i++) {
      const decided = event(EventType.AccessRequestDecided, [{ kind: 'USERS', userIds: [reader.userId] }]);
      await writeInbox(em(), decided, recordOutbox);
      mine.push(decided);
    }
    const foreign = event(EventType.AccessRequestDecided, [{ kind: 'USERS', userIds: [people.requester.userId] }]);
    await writeInbox(em(), foreign, recordOutbox);
    const newestFirst = mine.map((e) => e.id).reverse();

    const first = (await execute<ListAnswer>(subgraph.url, LIST, { first: 2 }, own)).data!.myNotifications;
    expect(first.nodes.map((node) => node.id)).toEqual(newestFirst.slice(0, 2));
    expect(first).toMatchObject({ totalCount: 5, unreadCount: 5, pageInfo: { hasNextPage: true, hasPreviousPage: false } });
    const second = (await execute<ListAnswer>(subgraph.url, LIST, { first: 2, after: first.pageInfo.endCursor }, own)).data!.myNotifications;
    expect(second.nodes.map((node) => node.id)).toEqual(newestFirst.slice(2, 4));
    expect(second.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const last = (await execute<ListAnswer>(subgraph.url, LIST, { first: 2, after: second.edges[1]!.cursor }, own)).data!.myNotifications;
    expect(last.nodes.map((node) => node.id)).toEqual(newestFirst.slice(4));
    expect(last.pageInfo.hasNextPage).toBe(false);

    const MARK = 'mutation($input: MarkNotificationsReadInput!) { markNotificationsRead(input: $input) { unreadCount } }';
    const marked = await execute<{ markNotificationsRead: { unreadCount: number } }>(subgraph.url, MARK, { input: { ids: [newestFirst[0], foreign.id, randomUUID(), 'pas-un-id'] } }, own);
    expect(marked.errors).toBeUndefined();
    expect(marked.data!.markNotificationsRead.unreadCount).toBe(4);
    // The foreign id was not marked for anyone, and its owner still has it unread.
    expect(await em().execute(`select user_id from notification_read where notification_id = ?`, [foreign.id])).toEqual([]);
    const unread = (await execute<ListAnswer>(subgraph.url, LIST, { first: 10, unreadOnly: true }, own)).data!.myNotifications;
    expect(unread.nodes.map((node) => node.id)).toEqual(newestFirst.slice(1));
    expect(unread).toMatchObject({ totalCount: 4, unreadCount: 4 });
    const read = (await execute<ListAnswer>(subgraph.url, LIST, { first: 1 }, own)).data!.myNotifications.nodes[0]!;
    expect(read.id).toBe(newestFirst[0]);
    expect(Number.isNaN(Date.parse(read.readAt ?? ''))).toBe(false);

    const all = await execute<{ markNotificationsRead: { unreadCount: number } }>(subgraph.url, MARK, { input: { all: true } }, own);
    expect(all.data!.markNotificationsRead.unreadCount).toBe(0);
    expect(await em().execute(`select user_id from notification_read where notification_id = ?`, [foreign.id])).toEqual([]);
  });

  it('refuses a mark with both or neither of ids and all, or too many ids, writing nothing', async () => {
    const MARK = 'mutation($input: MarkNotificationsReadInput!) { markNotificationsRead(input: $input) { unreadCount } }';
    const [before] = await em().execute<Array<{ count: number }>>('select count(*)::int as count from notification_read');
    for (const input of [{}, { ids: [randomUUID()], all: true }, { all: false }, { ids: Array.from({ length: 101 }, () => randomUUID()) }]) {
      const answer = await execute(subgraph.url, MARK, { input }, headers.requester);
      expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    const [after] = await em().execute<Array<{ count: number }>>('select count(*)::int as count from notification_read');
    expect(after).toEqual(before);
  });

  it('refuses `first` above 100 and a cursor it never gave, as BAD_USER_INPUT', async () => {
    for (const variables of [{ first: 101 }, { first: 5, after: 'pas-un-curseur' }]) {
      const answer = await execute(subgraph.url, LIST, variables, headers.requester);
      expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('refuses an anonymous reader, and a subscription sent to the subgraph (the gateway streams)', async () => {
    const anonymous = await execute(subgraph.url, '{ myNotifications { totalCount } }', {});
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const subscribed = await execute(subgraph.url, 'subscription { notifications { id } }', {}, headers.requester);
    expect(subscribed.data ?? null).toBeNull();
    expect(subscribed.errors?.[0]?.message).toMatch(/passerelle/);
  });

  it(`deletes notifications older than ${RETENTION_DAYS} days, with their audiences and read marks`, async () => {
    const old = event(EventType.AccessRequestDecided, [{ kind: 'USERS', userIds: [people.requester.userId] }], { occurredAt: '2026-01-01T12:00:00.000Z' });
    const recent = event(EventType.AccessRequestDecided, [{ kind: 'USERS', userIds: [people.requester.userId] }], { occurredAt: '2026-03-30T12:00:00.000Z' });
    await writeInbox(em(), old, recordOutbox);
    await writeInbox(em(), recent, recordOutbox);
    await em().execute(`insert into notification_read (user_id, notification_id, read_at) values (?, ?, now())`, [people.requester.userId, old.id]);
    // 2026-04-01 is 90 days after 2026-01-01 plus a day: the old one goes, the recent one stays.
    expect(await deleteExpiredNotifications(em(), new Date('2026-04-02T12:00:00Z'))).toBeGreaterThanOrEqual(1);
    const left = await em().execute<Array<{ id: string }>>(`select id from notification where id in (?, ?)`, [old.id, recent.id]);
    expect(left).toEqual([{ id: recent.id }]);
    expect(await em().execute(`select 1 from notification_audience where notification_id = ?`, [old.id])).toEqual([]);
    expect(await em().execute(`select 1 from notification_read where notification_id = ?`, [old.id])).toEqual([]);
  });

  it('sets aside a bus message that is not a domain event the inbox can keep', () => {
    const good = event(EventType.AccessRequestDecided, [{ kind: 'USERS', userIds: [people.requester.userId] }]);
    expect(parseDomainEvent(JSON.parse(JSON.stringify(good)))).toEqual(good);
    // R18: an event about no one organization and no record, its subject null or left out.
    const aboutNoRecord = event(EventType.ReportDeadlineNear, [{ kind: 'SERVICE_ROLES_EXCEPT', serviceId: PERFORM, roles: [ServiceRole.MunicipalRespondent], exceptOrganizationIds: [MAGOG] }], {
      organizationId: null,
      serviceId: PERFORM,
      subject: null,
    });
    expect(parseDomainEvent(JSON.parse(JSON.stringify(aboutNoRecord)))).toEqual(aboutNoRecord);
    const { subject: _left, ...withoutSubject } = aboutNoRecord;
    expect(parseDomainEvent(JSON.parse(JSON.stringify(withoutSubject)))).toEqual(aboutNoRecord);
    for (const bad of [
      null,
      'texte',
      { ...good, id: 'pas-un-id' },
      { ...good, type: 'UNKNOWN' },
      { ...good, audiences: [] },
      { ...good, audiences: [{ kind: 'EVERYONE' }] },
      { ...good, audiences: [{ kind: 'USERS', userIds: ['pas-un-id'] }] },
      { ...good, subject: { typename: 'User', id: good.subject!.id } },
      { ...good, organizationId: 'pas-un-id' },
      { ...good, audiences: [{ kind: 'SERVICE_ROLES_EXCEPT', serviceId: PERFORM, roles: [ServiceRole.MunicipalRespondent], exceptOrganizationIds: ['pas-un-id'] }] },
      { ...good, audiences: [{ kind: 'SERVICE_ROLES_EXCEPT', serviceId: PERFORM, roles: [], exceptOrganizationIds: [] }] },
      { ...good, data: { nested: { no: 'objects' } } },
    ]) {
      expect(parseDomainEvent(bad)).toBeNull();
    }
  });
});
