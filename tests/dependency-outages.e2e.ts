import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { waitFor } from '@pgamr/kit/testing';
import { EventType, recordOutbox, stableId, type DomainEvent } from '@pgamr/kit';
import { writeInbox } from '../subgraphs/notifications/src/inbox/inbox-writer';
import { execute, type GraphQLResponse } from './support/graphql';
import { subscribeSse, subscribeWs, type LiveEventSeen, type LiveSubscriber } from './support/live';
import { bearer, signIn } from './support/session';
import { startGatewayReplica, startStack, type Stack, type StackFaults, type SubgraphName } from './support/stack';
import { eventually } from './support/eventually';

// An outage is never answered "no access", "not found" or "invalid token": each dependency of the
// stack is cut (or slowed past its time limit) in turn, behind a proxy, while the others answer.
// What needed it is refused with SERVICE_UNAVAILABLE (retryable, in French), the rest of the
// answer comes back, and nothing is written.

let stack: Stack;
let faults: StackFaults;
type Headers = Record<string, string>;
const MAGOG = stableId('organization', 'MUN-45072');
const TECQ = stableId('online-service', 'TECQ');
const OPEN_TECQ_DOSSIER = stableId('dossier', 'MAG-TECQ-2025');
const REFUSALS_THAT_WOULD_LIE = ['FORBIDDEN', 'NOT_FOUND', 'UNAUTHENTICATED', 'INTERNAL_SERVER_ERROR'];

const gateway = (query: string, variables: Record<string, unknown>, headers: Headers) => execute<any>(stack.gatewayUrl, query, variables, headers);
const as = async (code: string) => bearer(await signIn(stack.gatewayUrl, code));
const quebecToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Toronto' }).format(new Date());

let marc: Headers;
let isabelle: Headers;

beforeAll(async () => {
  stack = await startStack({
    faults: true,
    gatewayEnv: {
      SUBGRAPH_CIRCUIT_VOLUME_THRESHOLD: '2',
      SUBGRAPH_CIRCUIT_RESET_MS: '300',
      SUBGRAPH_RETRIES: '0',
      // Longer than mandates' own 2 s wait for the decision point, so that its answer gets through.
      MANDATES_SUBGRAPH_TIMEOUT_MS: '3000',
    },
  });
  faults = stack.faults!;
  // Marc works in TECQ for Magog; Isabelle is Magog's RSÉ and TECQ's local manager.
  [marc, isabelle] = await Promise.all([as('MAG0000002'), as('MAG0000001')]);
});

afterAll(async () => {
  await stack?.close();
});

afterEach(async () => {
  const proxies = [faults.identityKeysAndSessions, faults.identityDirectory, faults.decisionPoint, ...Object.values(faults.databases), ...Object.values(faults.routes)];
  for (const proxy of proxies) proxy.heal();
  // Circuits opened by the outage close by themselves once a trial call succeeds.
  await eventually(async () => {
    const probe = await gateway(`query($id: ID!) { organization(id: $id) { name dossiers { totalCount } } onlineServices { nodes { code } } }`, { id: MAGOG }, marc);
    return probe.errors ? undefined : true;
  });
});

/** Every error of the answer is the retryable outage, in French; none pretends to be a refusal. */
function expectOnlyRetryable(response: GraphQLResponse<unknown>, paths?: Array<Array<string | number>>): void {
  const codes = response.errors?.map((error) => error.extensions?.code) ?? [];
  expect(codes.length).toBeGreaterThan(0);
  expect(codes.filter((code) => REFUSALS_THAT_WOULD_LIE.includes(String(code)))).toEqual([]);
  expect(new Set(codes)).toEqual(new Set(['SERVICE_UNAVAILABLE']));
  for (const error of response.errors ?? []) expect(error.message).toMatch(/réessayer/);
  if (paths) expect(response.errors?.map((error) => error.path)).toEqual(paths);
  // Nothing of our internals reaches the client.
  expect(JSON.stringify(response.errors)).not.toMatch(/127\.0\.0\.1|ECONN|select |insert |knex|stack/i);
}

async function countRows(subgraph: SubgraphName, table: string): Promise<number> {
  const rows: Array<{ n: number }> = await stack.subgraphs[subgraph].database.orm.em
    .getConnection()
    .execute(`select count(*)::int as n from "${table}"`);
  return rows[0]!.n;
}

async function post(url: string, query: string, headers: Headers): Promise<{ status: number; retryAfter: string | null; body: GraphQLResponse<unknown> }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as GraphQLResponse<unknown> };
}

async function metricsText(): Promise<string> {
  return (await fetch(`${new URL(stack.gatewayUrl).origin}/metrics`)).text();
}

const DOSSIER_PAGE = `query($id: ID!) { organization(id: $id) { name dossiers { totalCount } } }`;
const CREATE_DOSSIER = `mutation($input: CreateDossierInput!) { createDossier(input: $input) { dossier { id status } } }`;
const newDossier = (title: string) => ({ input: { organizationId: MAGOG, serviceId: TECQ, title, requestedAmount: '125000.50' } });

describe("R15, R20: services' decision point cannot answer", () => {
  it('the dossier list says "try again" on exactly that field, the name comes back, and no dossier is written', async () => {
    const before = await countRows('mandates', 'dossier');
    faults.decisionPoint.refuse();

    const page = await gateway(DOSSIER_PAGE, { id: MAGOG }, marc);
    expect(page.data.organization).toEqual({ name: 'Ville de Magog', dossiers: null });
    expectOnlyRetryable(page, [['organization', 'dossiers']]);

    const created = await gateway(CREATE_DOSSIER, newDossier('Pendant la panne du point de décision'), marc);
    expectOnlyRetryable(created);
    expect(created.data ?? null).toBeNull();

    faults.decisionPoint.heal();
    expect(await countRows('mandates', 'dossier')).toBe(before);
  });

  it("counts against mandates' circuit and metrics at the gateway: the hidden outage opens it, then calls fail fast with a wait to respect", async () => {
    faults.decisionPoint.refuse();
    const open = await eventually(async () => {
      const page = await gateway(DOSSIER_PAGE, { id: MAGOG }, marc);
      const text = await metricsText();
      return /subgraph_circuit_open\{subgraph="mandates"\} 1/.test(text) ? { page, text } : undefined;
    });
    expect(open.text).toMatch(/subgraph_request_duration_seconds_count\{subgraph="mandates",outcome="dependency_unavailable"\} [1-9]/);
    const failingFast = await eventually(async () => {
      const page = await gateway(DOSSIER_PAGE, { id: MAGOG }, marc);
      return page.errors?.[0]?.extensions?.retryAfterSeconds === undefined ? undefined : page;
    });
    expect(failingFast.data.organization.name).toBe('Ville de Magog');
    expectOnlyRetryable(failingFast, [['organization', 'dossiers']]);
    expect(failingFast.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });

  it('slower than its time limit: the same retryable answer, from mandates itself (not the gateway giving up on it)', async () => {
    const dependencyOutcomes = async () =>
      Number(/subgraph_request_duration_seconds_count\{subgraph="mandates",outcome="dependency_unavailable"\} (\d+)/.exec(await metricsText())?.[1] ?? 0);
    const before = await dependencyOutcomes();
    faults.decisionPoint.stall();
    const page = await gateway(DOSSIER_PAGE, { id: MAGOG }, marc);
    expect(page.data.organization).toEqual({ name: 'Ville de Magog', dossiers: null });
    expectOnlyRetryable(page, [['organization', 'dossiers']]);
    expect(await dependencyOutcomes()).toBe(before + 1);
  });
});

describe("R15: identity's directory of firm users cannot answer", () => {
  it('grantMandate says "try again", never "no such firm user", and writes no mandate', async () => {
    const before = await countRows('mandates', 'mandate');
    faults.identityDirectory.refuse();
    const granted = await gateway(
      'mutation($input: GrantMandateInput!) { grantMandate(input: $input) { mandate { id } } }',
      { input: { organizationId: MAGOG, serviceId: TECQ, dossierIds: [OPEN_TECQ_DOSSIER], mandataireCode: 'GCE0000002', level: 'CONSULTATION', startsOn: quebecToday() } },
      isabelle,
    );
    expectOnlyRetryable(granted);
    faults.identityDirectory.heal();
    expect(await countRows('mandates', 'mandate')).toBe(before);
  });
});

describe("R2, R6: identity's session state or key set cannot answer", () => {
  const DIRECT = {
    services: '{ onlineServices { nodes { id } } }',
    mandates: '{ dossiers(first: 1) { totalCount } }',
    'road-aid': `{ roadAidApplication(id: "${stableId('road-aid-application', 'absent')}") { id } }`,
  } as const;

  async function expectRefusedAsOutageEverywhere(): Promise<void> {
    const names = Object.keys(DIRECT) as Array<keyof typeof DIRECT>;
    const [atGateway, ...direct] = await Promise.all([
      post(stack.gatewayUrl, '{ me { id } }', marc),
      ...names.map((name) => post(stack.subgraphs[name].url, DIRECT[name], marc)),
    ]);
    expect({ status: atGateway.status, retryAfter: atGateway.retryAfter }).toEqual({ status: 503, retryAfter: expect.stringMatching(/^[1-9]/) });
    expectOnlyRetryable(atGateway.body);
    expect(atGateway.body.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    direct.forEach((answer, index) => {
      expect({ name: names[index], status: answer.status }).toEqual({ name: names[index], status: 503 });
      expectOnlyRetryable(answer.body);
    });
  }

  it('down: the gateway and every subgraph called directly refuse with 503 SERVICE_UNAVAILABLE, never "invalid token"', async () => {
    faults.identityKeysAndSessions.refuse();
    await expectRefusedAsOutageEverywhere();
  });

  it('slower than its time limit: the same', async () => {
    faults.identityKeysAndSessions.stall();
    await expectRefusedAsOutageEverywhere();
  });

  it('a gateway that could never read the key set refuses a good token as an outage, not as a bad token', async () => {
    faults.identityKeysAndSessions.refuse();
    // Its session checks go straight to identity: only the key set is missing.
    const replica = await startGatewayReplica(stack, { IDENTITY_SESSIONS_URL: `${stack.subgraphs.identity.origin}/sessions/v1/status` });
    try {
      const answer = await post(replica.url, '{ me { id } }', marc);
      expect(answer.status).toBe(503);
      expectOnlyRetryable(answer.body);
      faults.identityKeysAndSessions.heal();
      const healed = await eventually(async () => {
        const retried = await post(replica.url, '{ me { id } }', marc);
        return retried.status === 200 ? retried : undefined;
      });
      expect(healed.body.errors).toBeUndefined();
    } finally {
      await replica.close();
    }
  });
});

describe('a database cannot answer', () => {
  it('mandates: createDossier and submitDossier say "try again" (not FORBIDDEN, not NOT_FOUND), and nothing is written', async () => {
    const draft = await gateway(CREATE_DOSSIER, newDossier('Brouillon avant la panne'), marc);
    expect(draft.errors).toBeUndefined();
    const [dossiers, changes, audit] = await Promise.all([countRows('mandates', 'dossier'), countRows('mandates', 'dossier_status_change'), countRows('mandates', 'audit_event')]);
    faults.databases.mandates.refuse();

    expectOnlyRetryable(await gateway(CREATE_DOSSIER, newDossier('Pendant la panne de la base'), marc));
    expectOnlyRetryable(await gateway('mutation($id: ID!) { submitDossier(input: { dossierId: $id }) { dossier { status } } }', { id: draft.data.createDossier.dossier.id }, marc));
    const page = await gateway(DOSSIER_PAGE, { id: MAGOG }, marc);
    expect(page.data.organization).toEqual({ name: 'Ville de Magog', dossiers: null });
    expectOnlyRetryable(page, [['organization', 'dossiers']]);

    faults.databases.mandates.heal();
    await eventually(async () => ((await gateway(DOSSIER_PAGE, { id: MAGOG }, marc)).errors ? undefined : true));
    expect([await countRows('mandates', 'dossier'), await countRows('mandates', 'dossier_status_change'), await countRows('mandates', 'audit_event')]).toEqual([
      dossiers,
      changes,
      audit,
    ]);
    const still = await gateway('query($id: ID!) { dossier(id: $id) { status } }', { id: draft.data.createDossier.dossier.id }, marc);
    expect(still.data).toEqual({ dossier: { status: 'DRAFT' } });
  });

  it('identity: createUser says "try again", never "invalid token", through the gateway and straight at identity; no user is written', async () => {
    const before = await countRows('identity', 'app_user');
    faults.databases.identity.refuse();
    const CREATE_USER = 'mutation { createUser(input: { givenName: "Pendant", familyName: "Panne", email: "panne@magog.ca" }) { user { id } } }';
    const throughGateway = await post(stack.gatewayUrl, CREATE_USER, isabelle);
    expect(throughGateway.status).toBe(503);
    expectOnlyRetryable(throughGateway.body);
    const direct = await post(stack.subgraphs.identity.url, CREATE_USER, isabelle);
    expect(direct.status).toBe(503);
    expectOnlyRetryable(direct.body);
    faults.databases.identity.heal();
    await eventually(async () => ((await post(stack.subgraphs.identity.url, '{ me { id } }', isabelle)).status === 200 ? true : undefined));
    expect(await countRows('identity', 'app_user')).toBe(before);
  });

  it("services: its own fields and every field that needed the decision point say \"try again\"; identity's part comes back", async () => {
    faults.databases.services.refuse();
    const answer = await gateway(`query($id: ID!) { organization(id: $id) { name dossiers { totalCount } } onlineService(id: "${TECQ}") { code } }`, { id: MAGOG }, marc);
    expect(answer.data).toEqual({ organization: { name: 'Ville de Magog', dossiers: null }, onlineService: null });
    expectOnlyRetryable(answer);
    expect(answer.errors?.map((error) => error.path).sort()).toEqual([['onlineService'], ['organization', 'dossiers']]);
  });
});

describe('a subgraph slower than the time limit the gateway gives it', () => {
  it('its fields say "try again"; the other subgraphs\' data comes back', async () => {
    faults.routes.mandates.stall();
    const page = await gateway(DOSSIER_PAGE, { id: MAGOG }, marc);
    expect(page.data.organization).toEqual({ name: 'Ville de Magog', dossiers: null });
    expectOnlyRetryable(page, [['organization', 'dossiers']]);
  });
});

describe('R17, R20: a dependency of the live query cannot answer when an event arrives (issue 19)', () => {
  const LIVE = `subscription Live { notifications { id type subject { __typename ... on Dossier { id status } } } }`;
  const SUBMIT = 'mutation($id: ID!) { submitDossier(input: { dossierId: $id }) { dossier { status } } }';
  const COMPLETE_FORM = { tecq: { population: 28_500, priority: 'LOCAL_ROADS', plannedWorkStartsOn: '2027-06-01' } };
  const held: LiveSubscriber[] = [];
  afterAll(() => {
    for (const subscriber of held) subscriber.close();
  });

  /** Marc's stream on the stack's gateway, once the gateway has opened it. */
  async function marcSubscribes(open: typeof subscribeSse): Promise<LiveSubscriber> {
    const before = stack.gateway.live.hub.size;
    const subscriber = open(stack.gatewayUrl, marc.authorization!, LIVE);
    held.push(subscriber);
    await waitFor(() => stack.gateway.live.hub.size === before + 1, { description: "Marc's stream open" });
    return subscriber;
  }

  /** A dossier's new status as mandates raises it, for who works in TECQ at Magog, written to the inbox as its consumer does. */
  async function raiseDossierStatusChanged(dossierId: string): Promise<DomainEvent> {
    const event: DomainEvent = {
      id: randomUUID(),
      type: EventType.DossierStatusChanged,
      source: 'mandates',
      occurredAt: new Date().toISOString(),
      organizationId: MAGOG,
      serviceId: TECQ,
      subject: { typename: 'Dossier', id: dossierId },
      audiences: [{ kind: 'SERVICE_USERS', organizationId: MAGOG, serviceId: TECQ }],
      data: { from: 'SUBMITTED', to: 'IN_REVIEW' },
    };
    await writeInbox(stack.subgraphs.notifications.database.orm.em.fork(), event, (tx: EntityManager, message) => recordOutbox(tx, message));
    return event;
  }

  /** The event's errors are the retryable outage, in French, none a refusal; what else it says is returned. */
  function expectOutageEvent(event: LiveEventSeen | undefined): LiveEventSeen {
    expect(event?.errors?.length).toBeGreaterThan(0);
    expectOnlyRetryable(event as GraphQLResponse<unknown>);
    return event!;
  }

  /** The events about `id` (a shared test broker brings other stacks' events to this gateway too). */
  const about = (subscriber: LiveSubscriber, id: string) => subscriber.events.filter((event) => event.data === null || event.data?.notifications?.id === id || event.data?.notifications?.subject?.id === id);

  it('R17, R20: the notifications subgraph: SERVICE_UNAVAILABLE on the stream, never a refusal; the stream stays open, the next event arrives once it answers, and the inbox holds the one missed', async () => {
    const created = await gateway(CREATE_DOSSIER, { input: { ...newDossier('Panne des notifications').input, form: COMPLETE_FORM } }, marc);
    const dossierId = created.data.createDossier.dossier.id as string;
    const stream = await marcSubscribes(subscribeSse);
    faults.routes.notifications.refuse();
    expect((await gateway(SUBMIT, { id: dossierId }, marc)).data.submitDossier.dossier.status).toBe('SUBMITTED');

    const [outage] = await stream.received(1, 'the submission judged while the notifications subgraph is down');
    expect(expectOutageEvent(outage).data).toBeNull();

    faults.routes.notifications.heal();
    const dgi = await as('MAM0000002');
    await eventually(async () => {
      const { data } = await gateway('mutation($id: ID!) { startDossierReview(input: { dossierId: $id }) { dossier { status } } }', { id: dossierId }, dgi);
      return data?.startDossierReview ? true : undefined;
    });
    await waitFor(() => about(stream, dossierId).length >= 2, { timeoutMs: 60_000, description: 'the review, once the notifications subgraph answers' });
    expect(about(stream, dossierId)[1]).toEqual({ data: { notifications: { id: expect.any(String), type: 'DOSSIER_STATUS_CHANGED', subject: { __typename: 'Dossier', id: dossierId, status: 'IN_REVIEW' } } } });
    expect(stream.ended).toBeUndefined();
    // What the client does with the outage: reads its inbox again, where the missed event is.
    const inbox = await gateway('{ myNotifications(first: 100) { nodes { type data subject { ... on Dossier { id } } } } }', {}, marc);
    const missed = (inbox.data.myNotifications.nodes as Array<{ data: { to: string }; subject: { id: string } | null }>).filter((node) => node.subject?.id === dossierId);
    expect(missed.map((node) => node.data.to).sort()).toEqual(['IN_REVIEW', 'SUBMITTED']);
  });

  it("R17, R20: the subject's subgraph (mandates): the notification comes with its subject null and SERVICE_UNAVAILABLE at that path, never a refusal", async () => {
    const stream = await marcSubscribes(subscribeWs);
    faults.routes.mandates.refuse();
    const raised = await raiseDossierStatusChanged(OPEN_TECQ_DOSSIER);
    await waitFor(() => stream.events.some((event) => event.data?.notifications?.id === raised.id), { timeoutMs: 60_000, description: 'the event judged while mandates is down' });
    const event = expectOutageEvent(stream.events.find((seen) => seen.data?.notifications?.id === raised.id));
    expect(event.data).toEqual({ notifications: { id: raised.id, type: 'DOSSIER_STATUS_CHANGED', subject: null } });
    // The query plan reports the outage at the first field mandates was asked for, under the subject.
    expect(event.errors?.map((error) => ((error as { path?: unknown[] }).path ?? []).slice(0, 2))).toEqual([['notifications', 'subject']]);
    expect(stream.ended).toBeUndefined();
  });

  it("R2, R6: identity's session state: SERVICE_UNAVAILABLE on the stream, never UNAUTHENTICATED; the stream is not ended, and the next event arrives once identity answers", async () => {
    const stream = await marcSubscribes(subscribeSse);
    faults.identityKeysAndSessions.refuse();
    const first = await raiseDossierStatusChanged(OPEN_TECQ_DOSSIER);
    const [outage] = await stream.received(1, 'the event judged while identity is down');
    expect(expectOutageEvent(outage).data).toBeNull();
    faults.identityKeysAndSessions.heal();
    const second = await raiseDossierStatusChanged(OPEN_TECQ_DOSSIER);
    await waitFor(() => stream.events.some((event) => event.data?.notifications?.id === second.id), { timeoutMs: 60_000, description: 'the next event, once identity answers' });
    expect(stream.events.map((event): unknown => event.data?.notifications?.id)).not.toContain(first.id);
    expect(stream.ended).toBeUndefined();
  });
});
