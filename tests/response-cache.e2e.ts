import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execute } from './support/graphql';
import { bearer, signIn } from './support/session';
import { startStack, type Stack } from './support/stack';

const CATALOG = readFileSync(path.join(__dirname, '../clients/portal/operations/OnlineServicesCatalog.graphql'), 'utf8');
const MY_ONLINE_SERVICES = readFileSync(path.join(__dirname, '../clients/portal/operations/MyOnlineServices.graphql'), 'utf8');

/**
 * The gateway keeps whole responses that every subgraph involved allowed it to keep (the
 * services subgraph's catalog, reference data no operation changes), and only those: every rule
 * is still checked before a kept response is served, and nothing personal is ever kept.
 */
describe('response cache at the gateway: the catalog only, behind every rule', () => {
  let stack: Stack;
  let metricsUrl: string;

  beforeAll(async () => {
    stack = await startStack();
    metricsUrl = new URL('/metrics', stack.gatewayUrl).toString();
  });

  afterAll(async () => {
    await stack?.close();
  });

  const post = async (query: string, headers: Record<string, string> = {}) => {
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });
    const body: any = await response.json();
    return { status: response.status, age: response.headers.get('age'), cacheControl: response.headers.get('cache-control'), body };
  };

  /** Calls the gateway made to the services subgraph so far, from its own metrics. */
  const servicesCalls = async () => {
    const text = await (await fetch(metricsUrl)).text();
    const line = text.split('\n').find((l) => l.startsWith('subgraph_request_duration_seconds_count{') && l.includes('subgraph="services"') && l.includes('outcome="success"'));
    return line ? Number(line.split(' ').pop()) : 0;
  };

  it('R7: serves the catalog to a second user without asking the services subgraph again, and says nothing to shared caches', async () => {
    const isabelle = bearer(await signIn(stack.gatewayUrl, 'MAG0000001'));
    const sophie = bearer(await signIn(stack.gatewayUrl, 'SHE0000001'));
    const first = await post(CATALOG, isabelle);
    expect(first.status).toBe(200);
    expect(first.body.data.onlineServices.nodes.length).toBeGreaterThan(0);
    const callsAfterFirst = await servicesCalls();

    const second = await post(CATALOG, sophie);
    expect(second.body).toEqual(first.body);
    expect(second.age).not.toBeNull();
    expect(await servicesCalls()).toBe(callsAfterFirst);
    // An authenticated answer is never marked for browsers' or proxies' shared caches.
    expect(second.cacheControl).toBeNull();
  });

  it('R20: a kept catalog is still refused to an anonymous caller', async () => {
    await post(CATALOG, bearer(await signIn(stack.gatewayUrl, 'MAG0000002')));
    const anonymous = await post(CATALOG);
    expect([anonymous.status, anonymous.body.errors[0].extensions.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect(anonymous.body.data ?? null).toBeNull();
  });

  it('R1: a kept catalog is still refused to a user who must choose a personal password', async () => {
    const isabelle = bearer(await signIn(stack.gatewayUrl, 'MAG0000001'));
    await post(CATALOG, isabelle);
    const created = await execute<{ createUser: { user: { clicSequrCode: string }; temporaryPassword: string } }>(
      stack.gatewayUrl,
      'mutation { createUser(input: { givenName: "Léa", familyName: "Cache", email: "lea.cache@magog.ca" }) { user { clicSequrCode } temporaryPassword } }',
      {},
      isabelle,
    );
    const { user, temporaryPassword } = created.data!.createUser;
    const temporary = bearer(await signIn(stack.gatewayUrl, user.clicSequrCode, temporaryPassword));
    const refused = await post(CATALOG, temporary);
    expect([refused.status, refused.body.errors[0].extensions.code]).toEqual([403, 'PASSWORD_CHANGE_REQUIRED']);
  });

  it("R9: never keeps a user's own services, nor a catalog answer that another subgraph took part in", async () => {
    const marc = bearer(await signIn(stack.gatewayUrl, 'MAG0000002'));
    const isabelle = bearer(await signIn(stack.gatewayUrl, 'MAG0000001'));
    const before = await servicesCalls();
    const marcServices = await post(MY_ONLINE_SERVICES, marc);
    const isabelleServices = await post(MY_ONLINE_SERVICES, isabelle);
    expect(isabelleServices.age).toBeNull();
    expect(isabelleServices.body.data.me.givenName).toBe('Isabelle');
    expect(marcServices.body.data.me.givenName).toBe('Marc');
    expect(await servicesCalls()).toBeGreaterThanOrEqual(before + 2);

    const mixed = '{ onlineServices { nodes { code dossiers(first: 1) { totalCount } } } }';
    await post(mixed, isabelle);
    const again = await post(mixed, isabelle);
    expect(again.body.errors).toBeUndefined();
    expect(again.age).toBeNull();
  });
});
