import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { stableId } from '@pgamr/kit';
import { waitFor } from '@pgamr/kit/testing';
import { execute } from './support/graphql';
import { subscribeSse, subscribeWs, type LiveSubscriber } from './support/live';
import { freePort } from './support/ports';
import { bearer, signIn } from './support/session';
import { startStack, type Stack } from './support/stack';
import { bundledService } from './support/bundled';

// Issue 19's acceptance, live delivery: two gateway processes on the same subgraphs and bus. Gateway
// B is the stack's own (in this process), gateway A a process of its own (gateway/src/index.ts, as
// an operator runs it). Mutations go through B; subscribers hold their streams on A.
jest.setTimeout(180_000);
const REPOSITORY = path.resolve(__dirname, '..');
const TECQ = stableId('online-service', 'TECQ');

const SUBSCRIPTION = `subscription Live {
  notifications {
    id
    type
    subject {
      __typename
      ... on AccessRequest { id kind requester { givenName familyName } service { code } }
    }
  }
}`;
const MAGOG = stableId('organization', 'MUN-45072');
const JULIENS_DOSSIER = stableId('dossier', 'MAG-TECQ-2024');
// What a mandataire and a user of the program follow: the record each notification is about.
const ABOUT_RECORDS = `subscription Records {
  notifications {
    type
    data
    subject { __typename ... on Dossier { id status } ... on Mandate { id } }
  }
}`;
const CREATE_DOSSIER = 'mutation($input: CreateDossierInput!) { createDossier(input: $input) { dossier { id } } }';
const GRANT = 'mutation($input: GrantMandateInput!) { grantMandate(input: $input) { mandate { id } } }';
const quebecToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Toronto' }).format(new Date());
const REQUEST = 'mutation($s: ID!) { requestAccess(input: { serviceId: $s }) { accessRequest { id } } }';
const DECIDE = 'mutation($r: ID!) { decideAccessRequest(input: { accessRequestId: $r, decision: GRANT }) { accessRequest { status } } }';

let stack: Stack;
let gatewayA: { url: string; port: number; child: ChildProcess };
const subscribers: LiveSubscriber[] = [];

/** Gateway A: the real entry point in a process of its own, configured as the stack's gateway is. */
async function startGatewayProcess(env: Record<string, string>): Promise<{ url: string; port: number; child: ChildProcess }> {
  const port = await freePort();
  const base: NodeJS.ProcessEnv = { ...process.env };
  delete base.APOLLO_TELEMETRY_DISABLED;
  const child = spawn(process.execPath, bundledService('gateway/src/index.ts'), {
    cwd: REPOSITORY,
    env: { ...base, ...env, GATEWAY_PORT: String(port), LOG_LEVEL: 'info', LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(() => output.includes('"live notifications follow the event bus"') || child.exitCode !== null, {
    timeoutMs: 120_000,
    description: 'gateway A listening and following the bus',
  });
  if (child.exitCode !== null) throw new Error(`gateway A stopped:\n${output}`);
  return { url: `http://127.0.0.1:${port}/graphql`, port, child };
}

/** Streams open on gateway A, from its /metrics: a stream counts once the gateway has opened it. */
async function streamsOnA(): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${gatewayA.port}/metrics`)).text();
  return Number(/^gateway_live_streams (\S+)$/m.exec(text)?.[1] ?? NaN);
}

const through = (url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string>) => execute<any>(url, query, variables, headers);

beforeAll(async () => {
  stack = await startStack();
  gatewayA = await startGatewayProcess(stack.gatewayEnv);
});

afterAll(async () => {
  for (const subscriber of subscribers) subscriber.close();
  if (gatewayA?.child.exitCode === null) {
    gatewayA.child.kill('SIGTERM');
    await new Promise((resolve) => gatewayA.child.once('exit', resolve));
  }
  await stack?.close();
});

describe('issue 19: live notifications through two gateway processes', () => {
  it("R8, R20: a request filed through gateway B reaches the owner direction's staff subscribed on gateway A, with other subgraphs' fields; the requester and another direction receive nothing of it; the decision reaches the requester", async () => {
    const [sophie, patrick, nathalie] = await Promise.all([signIn(stack.gatewayUrl, 'SHE0000001'), signIn(stack.gatewayUrl, 'MAM0000002'), signIn(stack.gatewayUrl, 'MAM0000003')]);
    // Patrick (DGI, which owns TECQ) over graphql-ws; Sophie and Nathalie (DNIFF) over SSE.
    const dgi = subscribeWs(gatewayA.url, bearer(patrick).authorization, SUBSCRIPTION);
    const requester = subscribeSse(gatewayA.url, bearer(sophie).authorization, SUBSCRIPTION);
    const otherDirection = subscribeSse(gatewayA.url, bearer(nathalie).authorization, SUBSCRIPTION);
    subscribers.push(dgi, requester, otherDirection);
    await waitFor(async () => (await streamsOnA()) === 3, { description: 'three streams open on gateway A' });

    const filed = await through(stack.gatewayUrl, REQUEST, { s: TECQ }, bearer(sophie));
    const requestId = filed.data.requestAccess.accessRequest.id as string;

    const [event] = await dgi.received(1, 'the filed request on the DGI staff stream');
    expect(event).toEqual({
      data: {
        notifications: {
          id: expect.any(String),
          type: 'ACCESS_REQUEST_FILED',
          subject: { __typename: 'AccessRequest', id: requestId, kind: 'LOCAL_MANAGER', requester: { givenName: 'Sophie', familyName: expect.any(String) }, service: { code: 'TECQ' } },
        },
      },
    });

    expect((await through(stack.gatewayUrl, DECIDE, { r: requestId }, bearer(patrick))).data.decideAccessRequest.accessRequest.status).toBe('GRANTED');
    // Sophie's stream judges notifications in the bus's order: her first event is the decision,
    // so the filed request (raised before it) was never hers.
    const [decided] = await requester.received(1, 'the decision on the requester stream');
    expect(decided?.data?.notifications).toMatchObject({ type: 'ACCESS_REQUEST_DECIDED', subject: { id: requestId } });
    // Nathalie was offered the request (staff of a direction) and the notifications subgraph said
    // she may not read it: nothing was sent.
    expect(otherDirection.events).toEqual([]);
    expect(dgi.events).toHaveLength(1);
  });

  it('R2: signing out through gateway B ends the stream held on gateway A (SSE: UNAUTHENTICATED then complete; graphql-ws: close 4401)', async () => {
    const marcSse = await signIn(stack.gatewayUrl, 'MAG0000002');
    const marcWs = await signIn(stack.gatewayUrl, 'MAG0000001');
    const before = await streamsOnA();
    const sse = subscribeSse(gatewayA.url, bearer(marcSse).authorization, SUBSCRIPTION);
    const ws = subscribeWs(gatewayA.url, bearer(marcWs).authorization, SUBSCRIPTION);
    subscribers.push(sse, ws);
    await waitFor(async () => (await streamsOnA()) === before + 2, { description: 'two more streams open on gateway A' });

    await through(stack.gatewayUrl, 'mutation { signOut { __typename } }', {}, bearer(marcSse));
    await through(stack.gatewayUrl, 'mutation { signOut { __typename } }', {}, bearer(marcWs));

    expect(await sse.endedBy('the SSE stream ended by the sign-out')).toEqual({ how: 'complete' });
    expect(sse.events).toEqual([{ errors: [expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })] }]);
    await ws.endedBy('the WebSocket closed by the sign-out');
    expect(ws.closeCode).toBe(4401);
    await waitFor(async () => (await streamsOnA()) === before, { description: 'the streams gone from gateway A' });
  });

  it("R15, R17, R20: a mandataire subscribed on gateway A receives their dossier's new status until the mandate is revoked through gateway B; the next one reaches the program's user, not them, and their stream stays open", async () => {
    const [marc, isabelle, amelie, patrick] = await Promise.all([
      signIn(stack.gatewayUrl, 'MAG0000002'),
      signIn(stack.gatewayUrl, 'MAG0000001'),
      signIn(stack.gatewayUrl, 'GCE0000002'),
      signIn(stack.gatewayUrl, 'MAM0000002'),
    ]);
    // A dossier of its own (a shared test broker carries other stacks' events about the demo dossiers).
    const created = await through(
      stack.gatewayUrl,
      CREATE_DOSSIER,
      { input: { organizationId: MAGOG, serviceId: TECQ, title: 'Réfection du ponceau du chemin Roy', requestedAmount: '180000.00', form: { tecq: { population: 28_500, priority: 'LOCAL_ROADS', plannedWorkStartsOn: '2027-06-01' } } } },
      bearer(marc),
    );
    expect(created.errors).toBeUndefined();
    const dossierId = created.data.createDossier.dossier.id as string;
    const before = await streamsOnA();
    // Amélie (a firm's mandataire) over graphql-ws, Marc (who works in TECQ at Magog) over SSE.
    const mandataire = subscribeWs(gatewayA.url, bearer(amelie).authorization, ABOUT_RECORDS);
    const programUser = subscribeSse(gatewayA.url, bearer(marc).authorization, ABOUT_RECORDS);
    subscribers.push(mandataire, programUser);
    await waitFor(async () => (await streamsOnA()) === before + 2, { description: 'two more streams open on gateway A' });

    const granted = await through(
      stack.gatewayUrl,
      GRANT,
      { input: { organizationId: MAGOG, serviceId: TECQ, dossierIds: [dossierId], mandataireCode: 'GCE0000002', level: 'CONSULTATION', startsOn: quebecToday() } },
      bearer(isabelle),
    );
    expect(granted.errors).toBeUndefined();
    const mandateId = granted.data.grantMandate.mandate.id as string;
    const ours = new Set([dossierId, mandateId]);
    /** The events of `subscriber` about this test's records, as type and status. */
    const seen = (subscriber: LiveSubscriber) =>
      subscriber.events
        .map((event) => event.data?.notifications as { type: string; data: { to?: string }; subject: { id: string; status?: string } | null } | undefined)
        .filter((notification) => notification?.subject && ours.has(notification.subject.id))
        .map((notification) => ({ type: notification!.type, id: notification!.subject!.id, ...(notification!.data.to ? { to: notification!.data.to } : {}) }));
    const arrived = (subscriber: LiveSubscriber, count: number, description: string) =>
      waitFor(() => seen(subscriber).length >= count || subscriber.ended !== undefined, { timeoutMs: 60_000, description });

    await arrived(mandataire, 1, 'the mandate granted, on the mandataire stream');
    const SUBMIT = 'mutation($id: ID!) { submitDossier(input: { dossierId: $id }) { dossier { status } } }';
    expect((await through(stack.gatewayUrl, SUBMIT, { id: dossierId }, bearer(marc))).data.submitDossier.dossier.status).toBe('SUBMITTED');
    await arrived(mandataire, 2, 'the submission, on the mandataire stream');
    await arrived(programUser, 1, "the submission, on the program user's stream");
    // While mandated, she reads the dossier itself through mandates.
    const submitted = mandataire.events.find((event) => event.data?.notifications?.subject?.id === dossierId);
    expect(submitted?.data?.notifications.subject).toEqual({ __typename: 'Dossier', id: dossierId, status: 'SUBMITTED' });

    const REVOKE = 'mutation($id: ID!) { revokeMandate(input: { mandateId: $id }) { mandate { status } } }';
    expect((await through(stack.gatewayUrl, REVOKE, { id: mandateId }, bearer(isabelle))).data.revokeMandate.mandate.status).toBe('REVOKED');
    await arrived(mandataire, 3, 'the revocation, on the mandataire stream');
    const REVIEW = 'mutation($id: ID!) { startDossierReview(input: { dossierId: $id }) { dossier { status } } }';
    expect((await through(stack.gatewayUrl, REVIEW, { id: dossierId }, bearer(patrick))).data.startDossierReview.dossier.status).toBe('IN_REVIEW');
    // Raised and delivered: the program's user receives it on the same gateway.
    await arrived(programUser, 2, "the review, on the program user's stream");

    // A later event for her, through the same stream: it is judged after the review's (the bus's
    // order), so by then the review was offered to her stream or never was.
    const again = await through(
      stack.gatewayUrl,
      GRANT,
      { input: { organizationId: MAGOG, serviceId: TECQ, dossierIds: [JULIENS_DOSSIER], mandataireCode: 'GCE0000002', level: 'CONSULTATION', startsOn: quebecToday() } },
      bearer(isabelle),
    );
    expect(again.errors).toBeUndefined();
    ours.add(again.data.grantMandate.mandate.id as string);
    await arrived(mandataire, 4, 'the later mandate, on the mandataire stream');

    expect(seen(mandataire)).toEqual([
      { type: 'MANDATE_GRANTED', id: mandateId },
      { type: 'DOSSIER_STATUS_CHANGED', id: dossierId, to: 'SUBMITTED' },
      { type: 'MANDATE_REVOKED', id: mandateId },
      { type: 'MANDATE_GRANTED', id: again.data.grantMandate.mandate.id },
    ]);
    expect(seen(programUser)).toEqual([
      { type: 'DOSSIER_STATUS_CHANGED', id: dossierId, to: 'SUBMITTED' },
      { type: 'DOSSIER_STATUS_CHANGED', id: dossierId, to: 'IN_REVIEW' },
    ]);
    expect(mandataire.ended).toBeUndefined();
    expect(programUser.ended).toBeUndefined();
    mandataire.close();
    programUser.close();
  });
});
