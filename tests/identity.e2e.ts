import type { IncomingMessage } from 'node:http';
import { SESSION_STATUS_PATH, stableId } from '@pgamr/kit';
import { signTestToken, waitFor } from '@pgamr/kit/testing';
import { generateKeyPair, importJWK, type CryptoKey } from 'jose';
import { SigningKey } from '../subgraphs/identity/src/auth/signing-key.entity';
import { SigningKeyStore } from '../subgraphs/identity/src/auth/signing-keys';
import { execute } from './support/graphql';
import { bearer, signIn, type Tokens } from './support/session';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
const MAGOG = stableId('organization', 'MUN-45072');
const MARC = stableId('user', 'MAG0000002');

beforeAll(async () => {
  // A short JWKS cooldown so the key-rotation test need not wait the production 30 s.
  stack = await startStack({ jwksCooldownMs: 100 });
});

afterAll(async () => {
  await stack?.close();
});

/** One entity each subgraph owns or extends, asked for straight from the subgraph. */
const PROBES = {
  identity: { typename: 'Organization', id: MAGOG, selection: '... on Organization { id name }' },
  services: { typename: 'OnlineService', id: stableId('online-service', 'TECQ'), selection: '... on OnlineService { id code }' },
  mandates: { typename: 'Organization', id: MAGOG, selection: '... on Organization { id dossiers { totalCount } }' },
} as const;

async function directProbe(name: keyof typeof PROBES, headers: Record<string, string>) {
  const probe = PROBES[name];
  return execute(
    stack.subgraphs[name].url,
    `query($r: [_Any!]!) { _entities(representations: $r) { ${probe.selection} } }`,
    { r: [{ __typename: probe.typename, id: probe.id }] },
    headers,
  );
}

const gateway = (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  execute<Record<string, any>>(stack.gatewayUrl, query, variables, headers);

/** identity's current signing key, as an attacker who stole nothing would NOT have it: for expired-token tests only. */
async function identitySigningKey(): Promise<{ kid: string; key: CryptoKey }> {
  const em = stack.subgraphs.identity.database.orm.em.fork();
  const [row] = await em.find(SigningKey, {}, { populate: ['privateJwk'], orderBy: { activatesAt: 'desc' }, limit: 1 });
  return { kid: row!.kid, key: (await importJWK(row!.privateJwk, 'ES256')) as CryptoKey };
}

describe('R1, R2: an RSÉ creates a user who must set a personal password first', () => {
  it('runs the whole journey through the gateway', async () => {
    const rse = bearer(await signIn(stack.gatewayUrl, 'MAG0000001'));
    const created = await gateway(
      `mutation { createUser(input: { givenName: "Nadia", familyName: "Ouellet", email: "nadia.ouellet@magog.ca", phone: "819 843-6501" }) {
         user { id clicSequrCode organization { name } } temporaryPassword } }`,
      {},
      rse,
    );
    expect(created.errors).toBeUndefined();
    const { user, temporaryPassword } = created.data!.createUser as { user: { id: string; clicSequrCode: string }; temporaryPassword: string };
    expect(user.clicSequrCode).toMatch(/^CS[A-Z2-9]{8}$/);
    expect(temporaryPassword).toHaveLength(16);

    // First sign-in with the temporary password: everything but setting a password is refused.
    const first: Tokens = await signIn(stack.gatewayUrl, user.clicSequrCode, temporaryPassword);
    expect(first.passwordChangeRequired).toBe(true);
    for (const query of ['{ me { id } }', '{ onlineServices { nodes { code } } }', `{ organization(id: "${MAGOG}") { dossiers { totalCount } } }`]) {
      const refused = await gateway(query, {}, bearer(first));
      expect(refused.errors?.map((e) => e.extensions?.code)).toContain('PASSWORD_CHANGE_REQUIRED');
      expect(JSON.stringify(refused.data ?? null)).not.toMatch(/TECQ|Principale|"id":"/);
    }

    const weak = await gateway(
      'mutation($old: String!) { changePassword(input: { currentPassword: $old, newPassword: "court" }) { session { accessToken } } }',
      { old: temporaryPassword },
      bearer(first),
    );
    expect(weak.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.newPassword' } });
    expect(weak.errors?.[0]?.message).toMatch(/au moins 12 caractères/);

    const changed = await gateway(
      'mutation($old: String!) { changePassword(input: { currentPassword: $old, newPassword: "Lac-Memphrémagog-2026" }) { session { accessToken passwordChangeRequired } } }',
      { old: temporaryPassword },
      bearer(first),
    );
    expect(changed.errors).toBeUndefined();
    expect(changed.data!.changePassword.session.passwordChangeRequired).toBe(false);

    const second = await signIn(stack.gatewayUrl, user.clicSequrCode, 'Lac-Memphrémagog-2026');
    expect(second.passwordChangeRequired).toBe(false);
    const me = await gateway('{ me { id givenName familyName email phone organization { name } } }', {}, bearer(second));
    expect(me).toEqual({
      data: {
        me: { id: user.id, givenName: 'Nadia', familyName: 'Ouellet', email: 'nadia.ouellet@magog.ca', phone: '819 843-6501', organization: { name: 'Ville de Magog' } },
      },
      errors: undefined,
    });
  });
});

describe('tokens are checked at every hop', () => {
  const query = `{ me { id } organization(id: "${MAGOG}") { dossiers { totalCount } } }`;
  /** One operation per subgraph, sent straight to it, that any signed-in user may run. */
  const DIRECT = {
    identity: '{ me { id } }',
    services: '{ onlineServices { nodes { id } } }',
    mandates: '{ dossiers(first: 1) { totalCount } }',
    'road-aid': `{ roadAidApplication(id: "${stableId('road-aid-application', 'absent')}") { id } }`,
  } as const;

  async function post(url: string, body: string, token: string) {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
    return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: Array<{ message: string; extensions: { code: string } }> } };
  }

  /** The whole request refused with HTTP 401 and UNAUTHENTICATED, at the gateway and straight at every subgraph. */
  async function expectRefusedEverywhere(token: string, reason: RegExp): Promise<void> {
    const atGateway = await post(stack.gatewayUrl, JSON.stringify({ query }), token);
    expect(atGateway.status).toBe(401);
    expect(atGateway.body.data ?? null).toBeNull();
    expect(atGateway.body.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect(atGateway.body.errors?.[0]?.message).toMatch(reason);

    for (const name of Object.keys(DIRECT) as Array<keyof typeof DIRECT>) {
      const direct = await post(stack.subgraphs[name].url, JSON.stringify({ query: DIRECT[name] }), token);
      expect({ name, status: direct.status, code: direct.body.errors?.[0]?.extensions.code, data: direct.body.data ?? null }).toEqual({
        name,
        status: 401,
        code: 'UNAUTHENTICATED',
        data: null,
      });
    }
    for (const name of ['identity', 'services', 'mandates'] as const) {
      const direct = await directProbe(name, { authorization: `Bearer ${token}` });
      expect(direct.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(JSON.stringify(direct.data ?? null)).not.toContain(PROBES[name].id);
    }
  }

  async function expectAcceptedEverywhere(token: string): Promise<void> {
    const atGateway = await post(stack.gatewayUrl, JSON.stringify({ query: '{ me { id } }' }), token);
    expect(atGateway).toMatchObject({ status: 200, body: { data: { me: { id: expect.any(String) } } } });
    for (const name of Object.keys(DIRECT) as Array<keyof typeof DIRECT>) {
      const direct = await post(stack.subgraphs[name].url, JSON.stringify({ query: DIRECT[name] }), token);
      expect({ name, status: direct.status, errors: direct.body.errors }).toEqual({ name, status: 200, errors: undefined });
    }
  }

  /** A new user of Magog, created by its RSÉ, signed in with a personal password. */
  async function newMagogUser(rse: Record<string, string>, givenName: string): Promise<{ id: string; code: string; tokens: Tokens }> {
    const created = await gateway(
      'mutation($g: String!) { createUser(input: { givenName: $g, familyName: "Essai", email: "essai@magog.ca" }) { user { id clicSequrCode } temporaryPassword } }',
      { g: givenName },
      rse,
    );
    const { user, temporaryPassword } = created.data!.createUser as { user: { id: string; clicSequrCode: string }; temporaryPassword: string };
    const first = await signIn(stack.gatewayUrl, user.clicSequrCode, temporaryPassword);
    await gateway(
      'mutation($o: String!) { changePassword(input: { currentPassword: $o, newPassword: "Lac-Memphrémagog-2026" }) { session { accessToken } } }',
      { o: temporaryPassword },
      bearer(first),
    );
    return { id: user.id, code: user.clicSequrCode, tokens: await signIn(stack.gatewayUrl, user.clicSequrCode, 'Lac-Memphrémagog-2026') };
  }

  it('R6: after signOut, the next request with that access token is refused everywhere', async () => {
    const tokens = await signIn(stack.gatewayUrl, 'MAG0000002');
    await expectAcceptedEverywhere(tokens.accessToken);
    const signedOut = await gateway('mutation { signOut { signedOutAt } }', {}, bearer(tokens));
    expect(signedOut.errors).toBeUndefined();
    expect(Number.isNaN(Date.parse(signedOut.data!.signOut.signedOutAt as string))).toBe(false);
    await expectRefusedEverywhere(tokens.accessToken, /session est terminée/);
    // Another session of the same user is untouched.
    await expectAcceptedEverywhere((await signIn(stack.gatewayUrl, 'MAG0000002')).accessToken);
  });

  it("R2, R6: identity is asked about a request's session once, by the gateway, not again by each subgraph call; after signOut the next request is refused", async () => {
    const tokens = await signIn(stack.gatewayUrl, 'MAG0000002');
    // Identity, services and mandates (which asks services' decision point about Marc's rights).
    const everySubgraph = `{ me { id } organization(id: "${MAGOG}") { dossiers { totalCount } } onlineServices { nodes { id } } }`;
    let statusCalls = 0;
    const countStatusCalls = (request: IncomingMessage) => {
      if (request.url === SESSION_STATUS_PATH) statusCalls += 1;
    };
    const identityServer = stack.subgraphs.identity.app.server;
    identityServer.on('request', countStatusCalls);
    try {
      const served = await post(stack.gatewayUrl, JSON.stringify({ query: everySubgraph }), tokens.accessToken);
      expect({ status: served.status, errors: served.body.errors }).toEqual({ status: 200, errors: undefined });
      expect(statusCalls).toBe(1);
      expect((await gateway('mutation { signOut { signedOutAt } }', {}, bearer(tokens))).errors).toBeUndefined();
      statusCalls = 0;
      const refused = await post(stack.gatewayUrl, JSON.stringify({ query: everySubgraph }), tokens.accessToken);
      expect({ status: refused.status, code: refused.body.errors?.[0]?.extensions.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
      expect(statusCalls).toBe(1);
    } finally {
      identityServer.off('request', countStatusCalls);
    }
  });

  it('R2: after the RSÉ suspends a user, their access token is refused everywhere at once', async () => {
    const rse = bearer(await signIn(stack.gatewayUrl, 'MAG0000001'));
    const employee = await newMagogUser(rse, 'Suspendu');
    await expectAcceptedEverywhere(employee.tokens.accessToken);
    const suspended = await gateway('mutation($u: ID!) { suspendUser(input: { userId: $u, reason: "Départ" }) { user { status } } }', { u: employee.id }, rse);
    expect(suspended.data).toEqual({ suspendUser: { user: { status: 'SUSPENDED' } } });
    await expectRefusedEverywhere(employee.tokens.accessToken, /session est terminée/);
  });

  it('R6: a refresh-token reuse revokes the session, and its access token with it', async () => {
    const tokens = await signIn(stack.gatewayUrl, 'MAG0000002');
    const REFRESH = 'mutation($r: String!) { refreshSession(input: { refreshToken: $r }) { session { accessToken } } }';
    const renewed = await gateway(REFRESH, { r: tokens.refreshToken });
    expect(renewed.errors).toBeUndefined();
    const reused = await gateway(REFRESH, { r: tokens.refreshToken });
    expect(reused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // Both the first access token and the one the leaked refresh token bought belong to the revoked session.
    await expectRefusedEverywhere(tokens.accessToken, /session est terminée/);
    await expectRefusedEverywhere(renewed.data!.refreshSession.session.accessToken as string, /session est terminée/);
  });

  it('R2: after the RSÉ resets a temporary password, the user\'s access token is refused everywhere', async () => {
    const rse = bearer(await signIn(stack.gatewayUrl, 'MAG0000001'));
    const employee = await newMagogUser(rse, 'Réinitialisé');
    await expectAcceptedEverywhere(employee.tokens.accessToken);
    const reset = await gateway('mutation($u: ID!) { resetTemporaryPassword(input: { userId: $u }) { user { id } temporaryPassword } }', { u: employee.id }, rse);
    expect(reset.errors).toBeUndefined();
    await expectRefusedEverywhere(employee.tokens.accessToken, /session est terminée/);
  });

  it('refuses a token signed by another key', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const { kid } = await identitySigningKey();
    const forged = await signTestToken(privateKey, kid, { userId: MARC, organizationId: MAGOG, roles: ['RSE'] });
    await expectRefusedEverywhere(forged, /invalide/);
  });

  it('refuses an expired token, even one signed with the real key', async () => {
    const { kid, key } = await identitySigningKey();
    const expired = await signTestToken(key, kid, { userId: MARC, organizationId: MAGOG, expiresIn: -30 });
    await expectRefusedEverywhere(expired, /expiré/);
  });

  it('refuses a token whose payload was edited', async () => {
    const genuine = await signIn(stack.gatewayUrl, 'MAG0000002');
    const [header, payload, signature] = genuine.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const edited = Buffer.from(JSON.stringify({ ...claims, roles: ['RSE', 'MINISTRY_STAFF'], dir: 'DGOMR' })).toString('base64url');
    await expectRefusedEverywhere(`${header}.${edited}.${signature}`, /invalide/);
  });

  it('a subgraph called directly trusts no unsigned identity header', async () => {
    for (const name of ['identity', 'services', 'mandates'] as const) {
      const forged = await directProbe(name, { 'x-user-id': MARC, 'x-organization-id': MAGOG, 'x-roles': 'RSE,MINISTRY_STAFF' });
      expect(forged.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(JSON.stringify(forged.data ?? null)).not.toContain(PROBES[name].id);
      // The same call with a genuine token answers: the refusal above is the header's doing.
      const genuine = await directProbe(name, bearer(await signIn(stack.gatewayUrl, 'MAG0000002')));
      expect(genuine.errors).toBeUndefined();
      expect(JSON.stringify(genuine.data)).toContain(PROBES[name].id);
    }
  });

  it('R20: without a token, every by-id field and entity of every subgraph answers an existing record and a random id alike', async () => {
    const DOSSIER = stableId('dossier', 'MAG-TECQ-2024');
    const cases: Array<{ subgraph: keyof Stack['subgraphs']; query: string; id: string }> = [
      { subgraph: 'identity', query: '{ user(id: "<id>") { id } }', id: MARC },
      { subgraph: 'identity', query: '{ organization(id: "<id>") { id } }', id: MAGOG },
      { subgraph: 'identity', query: '{ _entities(representations: [{ __typename: "User", id: "<id>" }]) { ... on User { id } } }', id: MARC },
      { subgraph: 'services', query: '{ onlineService(id: "<id>") { id } }', id: stableId('online-service', 'TECQ') },
      { subgraph: 'services', query: '{ _entities(representations: [{ __typename: "User", id: "<id>" }]) { ... on User { id } } }', id: MARC },
      { subgraph: 'mandates', query: '{ dossier(id: "<id>") { id } }', id: DOSSIER },
      { subgraph: 'mandates', query: '{ mandate(id: "<id>") { id } }', id: stableId('mandate', 'MAG-TECQ-GCE1') },
      { subgraph: 'mandates', query: '{ _entities(representations: [{ __typename: "Dossier", id: "<id>" }]) { ... on Dossier { id } } }', id: DOSSIER },
      {
        subgraph: 'mandates',
        query: '{ _entities(representations: [{ __typename: "FinancialReport", id: "<id>" }]) { ... on FinancialReport { id } } }',
        id: stableId('financial-report', 'MUN-45072:2024'),
      },
    ];
    for (const { subgraph, query, id } of cases) {
      const answer = async (asked: string) =>
        JSON.stringify(await execute(stack.subgraphs[subgraph].url, query.replace('<id>', asked))).replaceAll(asked, '<id>');
      const existing = await answer(id);
      expect({ subgraph, query, existing }).toEqual({ subgraph, query, existing: expect.stringContaining('UNAUTHENTICATED') });
      expect({ subgraph, query, random: await answer(stableId('absent', id)) }).toEqual({ subgraph, query, random: existing });
    }
  });

  it('answers UNAUTHENTICATED without a token, and nothing else leaks', async () => {
    const anonymous = await gateway(query);
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(expect.arrayContaining(['UNAUTHENTICATED']));
    expect(JSON.stringify(anonymous.data ?? null)).not.toMatch(/Principale|"id":"/);
    // Errors that came from subgraphs say nothing of them: no URL, no service name, no raw response.
    expect(JSON.stringify(anonymous.errors)).not.toMatch(/127\.0\.0\.1|http:|serviceName|"response"/);
  });

  it('verifies tokens signed with a rotated key at the gateway and the subgraphs, old tokens included', async () => {
    const before = await signIn(stack.gatewayUrl, 'MAG0000001');
    const oldKid = (await identitySigningKey()).kid;
    // As `npm run keys:rotate` does: another process adds the key to identity's database.
    const newKid = await new SigningKeyStore(stack.subgraphs.identity.database.orm).rotate(0, 900);
    expect(newKid).not.toBe(oldKid);
    const kidOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;
    // Identity rereads its keys every few seconds: a new sign-in is signed with the new key once it has.
    const after = await waitFor(
      async () => {
        const tokens = await signIn(stack.gatewayUrl, 'MAG0000001');
        return kidOf(tokens.accessToken) === newKid ? tokens : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 250, description: 'a token signed with the rotated key' },
    );
    expect(kidOf(after.accessToken)).toBe(newKid);
    for (const tokens of [before, after]) {
      const answer = await gateway(`{ me { id } organization(id: "${MAGOG}") { dossiers { totalCount } } }`, {}, bearer(tokens));
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.organization.dossiers.totalCount).toBeGreaterThan(0);
    }
  });
});
