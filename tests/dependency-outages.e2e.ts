import { stableId } from '@pgamr/kit';
import { execute, type GraphQLResponse } from './support/graphql';
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
