import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { buildGateway, type BuiltGateway } from '@pgamr/gateway';
import { readGatewayConfig } from '@pgamr/gateway/config';
import { createLogger } from '@pgamr/kit/logger';
import { parse } from 'graphql';
import { decodeJwt } from 'jose';
import { composeSubgraphs } from '../gateway/src/compose/compose';
import { eventually } from './support/eventually';
import { startTestOidcProvider, type TestOidcProvider } from './support/oidc-provider';
import { bundledService } from './support/bundled';

// Issue 17: a gateway deployed in front of another ministry's subgraphs accepts the tokens of that
// ministry's OpenID Connect provider, read from its discovery document; or no token at all.

const REPOSITORY = path.resolve(__dirname, '..');

/** Another ministry's subgraph, not built on our kit: it trusts what the gateway forwards. */
const FOREIGN_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@authenticated", "@requiresScopes"])
  type Query {
    greeting: String
    viewerSubject: String @authenticated
    rseDesk: String @requiresScopes(scopes: [["RSE"]])
  }`;

let provider: TestOidcProvider;
let subgraph: ApolloServer<{ authorization?: string }>;
let workDir: string;
let supergraphPath: string;
const gateways: BuiltGateway[] = [];

beforeAll(async () => {
  provider = await startTestOidcProvider();
  subgraph = new ApolloServer<{ authorization?: string }>({
    schema: buildSubgraphSchema({
      typeDefs: parse(FOREIGN_SDL),
      resolvers: {
        Query: {
          greeting: () => 'bonjour',
          // The token the gateway forwarded, as this subgraph received it.
          viewerSubject: (_parent: unknown, _args: unknown, context: unknown) => {
            const { authorization } = context as { authorization?: string };
            return authorization ? decodeJwt(authorization.replace(/^Bearer /, '')).sub : null;
          },
          rseDesk: () => 'guichet des RSÉ',
        },
      },
    }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(subgraph, {
    listen: { host: '127.0.0.1', port: 0 },
    context: async ({ req }) => (req.headers.authorization ? { authorization: req.headers.authorization } : {}),
  });
  const composed = composeSubgraphs([{ name: 'road-safety', routingUrl: url, schemaFile: 'road-safety.graphql', sdl: FOREIGN_SDL }]);
  if (!composed.ok) throw new Error(composed.errors.join('\n'));
  workDir = mkdtempSync(path.join(tmpdir(), 'pgamr-oidc-'));
  supergraphPath = path.join(workDir, 'supergraph.graphql');
  writeFileSync(supergraphPath, composed.supergraphSdl);
});

afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.close()));
  await subgraph?.stop();
  await provider?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** The environment of a gateway in front of the foreign subgraph, trusting the test provider. */
const providerEnv = (): Record<string, string> => ({
  NODE_ENV: 'test',
  GATEWAY_PORT: '0',
  SUPERGRAPH_PATH: supergraphPath,
  OIDC_DISCOVERY_URL: provider.discoveryUrl,
  TOKEN_AUDIENCE: 'pgamr-gateway',
  TOKEN_ROLES_CLAIM: 'realm_access.roles',
  TOKEN_ORGANIZATION_CLAIM: 'organization',
  // Every unknown key id is looked up at once: the test rotates keys and cuts the key set.
  JWKS_COOLDOWN_MS: '0',
});

async function startGateway(env: Record<string, string>): Promise<{ url: string; origin: string; gateway: BuiltGateway }> {
  const gateway = await buildGateway(readGatewayConfig(env), createLogger('gateway', process.env.TEST_LOG_LEVEL ?? 'silent'));
  gateways.push(gateway);
  await gateway.app.listen({ host: '127.0.0.1', port: 0 });
  const address = gateway.app.server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return { url: `${origin}/graphql`, origin, gateway };
}

interface Answer {
  status: number;
  retryAfter: string | null;
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions: { code: string; retryAfterSeconds?: number; paths?: string[][] } }>;
}

async function post(url: string, query: string, token?: string): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), ...((await response.json()) as Omit<Answer, 'status' | 'retryAfter'>) };
}

/** Keycloak's shape: realm roles under `realm_access`, the organization as a claim mapper puts it. */
const rse = { realm_access: { roles: ['RSE', 'offline_access'] }, organization: 'MUN-45072' };

describe("a gateway that trusts another OpenID Connect provider (OIDC_DISCOVERY_URL)", () => {
  let gatewayUrl: string;
  let origin: string;

  beforeAll(async () => {
    // The provider is down when the gateway starts: it must neither crash nor accept tokens it cannot check.
    provider.setDiscoveryUp(false);
    ({ url: gatewayUrl, origin } = await startGateway(providerEnv()));
  });

  it('starts before its provider answers: not ready, token-bearing requests 503 (retryable), anonymous ones served; ready once the document is read', async () => {
    const ready = await fetch(`${origin}/ready`);
    expect([ready.status, await ready.json()]).toEqual([503, { status: 'unavailable', subgraphs: { 'road-safety': true }, tokenIssuer: false }]);
    const token = await provider.mint({ claims: rse });
    const refused = await post(gatewayUrl, '{ viewerSubject }', token);
    expect([refused.status, refused.errors?.[0]?.extensions.code, refused.retryAfter]).toEqual([503, 'SERVICE_UNAVAILABLE', '5']);
    expect(await post(gatewayUrl, '{ greeting }')).toMatchObject({ status: 200, data: { greeting: 'bonjour' } });

    provider.setDiscoveryUp(true);
    await eventually(async () => ((await fetch(`${origin}/ready`)).ok ? true : undefined));
    expect(await (await fetch(`${origin}/ready`)).json()).toEqual({ status: 'ready', subgraphs: { 'road-safety': true }, tokenIssuer: true });
  });

  it("accepts the provider's token: the mapped roles meet @requiresScopes, and the token is forwarded to the subgraph", async () => {
    const token = await provider.mint({ subject: 'marie.tremblay', claims: rse });
    const answer = await post(gatewayUrl, '{ viewerSubject rseDesk }', token);
    expect(answer).toMatchObject({ status: 200, data: { viewerSubject: 'marie.tremblay', rseDesk: 'guichet des RSÉ' } });
    expect(answer.errors).toBeUndefined();
  });

  it("refuses a signed-in user without the mapped role with FORBIDDEN, and lets them read what any signed-in user may", async () => {
    const token = await provider.mint({ claims: { realm_access: { roles: ['offline_access'] }, organization: 'MUN-45072' } });
    const refused = await post(gatewayUrl, '{ viewerSubject rseDesk }', token);
    expect([refused.status, refused.errors?.[0]?.extensions]).toEqual([403, { code: 'FORBIDDEN', paths: [['rseDesk']] }]);
    expect(await post(gatewayUrl, '{ viewerSubject }', token)).toMatchObject({ status: 200, data: { viewerSubject: expect.any(String) } });
  });

  it.each([
    ['from another issuer', () => provider.mint({ claims: rse, issuer: 'https://sso.ailleurs.example/realms/autre' })],
    ['for another audience', () => provider.mint({ claims: rse, audience: 'account' })],
    ['expired', () => provider.mint({ claims: rse, expiresIn: -10 })],
    ['signed by a key the provider does not publish (unknown kid)', () => provider.mint({ claims: rse, unpublishedKey: true })],
    ['whose claims name no organization: no viewer, never anonymous', () => provider.mint({ claims: { realm_access: { roles: ['RSE'] } } })],
  ])('refuses a token %s with UNAUTHENTICATED (HTTP 401), the whole request', async (_case, mint) => {
    const refused = await post(gatewayUrl, '{ greeting viewerSubject }', await mint());
    expect([refused.status, refused.errors?.[0]?.extensions.code, refused.data ?? null]).toEqual([401, 'UNAUTHENTICATED', null]);
    expect(refused.errors?.[0]?.message).toMatch(/authentifier de nouveau/);
  });

  it("answers 503 SERVICE_UNAVAILABLE (retryable), never 401, when the provider's key set cannot be read", async () => {
    await provider.rotateKey();
    const signedWithNewKey = await provider.mint({ claims: rse });
    provider.setKeySetUp(false);
    const outage = await post(gatewayUrl, '{ viewerSubject }', signedWithNewKey);
    expect([outage.status, outage.errors?.[0]?.extensions.code, outage.errors?.[0]?.extensions.retryAfterSeconds, outage.retryAfter]).toEqual([
      503,
      'SERVICE_UNAVAILABLE',
      5,
      '5',
    ]);

    provider.setKeySetUp(true);
    expect(await post(gatewayUrl, '{ viewerSubject }', signedWithNewKey)).toMatchObject({ status: 200, data: { viewerSubject: expect.any(String) } });
  });
});

describe('a gateway that accepts no token (TOKEN_ISSUER=none)', () => {
  it('serves anonymous requests and refuses any bearer token with UNAUTHENTICATED (HTTP 401) and a French message', async () => {
    const { url } = await startGateway({ NODE_ENV: 'test', GATEWAY_PORT: '0', SUPERGRAPH_PATH: supergraphPath, TOKEN_ISSUER: 'none' });
    expect(await post(url, '{ greeting }')).toMatchObject({ status: 200, data: { greeting: 'bonjour' } });

    const refused = await post(url, '{ greeting }', await provider.mint({ claims: rse }));
    expect([refused.status, refused.errors?.[0]?.extensions.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect(refused.errors?.[0]?.message).toBe("Ce service n'accepte aucun jeton d'accès : envoyez la requête sans en-tête Authorization.");
    const anonymous = await post(url, '{ viewerSubject }');
    expect([anonymous.status, anonymous.errors?.[0]?.extensions.code]).toEqual([401, 'UNAUTHENTICATED']);
  });
});

describe("a discovery document that names another issuer than the configured one", () => {
  afterEach(() => provider.setAnnouncedIssuer(provider.issuer));

  it('stops the start with a French configuration error naming OIDC_DISCOVERY_URL and TOKEN_ISSUER', async () => {
    provider.setAnnouncedIssuer('https://imposteur.example/realms/mtmd');
    const { gateway } = await startGateway({ ...providerEnv(), TOKEN_ISSUER: provider.issuer });
    await expect(gateway.tokens.settled).rejects.toThrow(
      `OIDC_DISCOVERY_URL: le document de découverte nomme l'émetteur « https://imposteur.example/realms/mtmd », pas celui de TOKEN_ISSUER (« ${provider.issuer} »)`,
    );
  });

  it('makes the gateway process exit 1 with that message, rather than serve', async () => {
    provider.setAnnouncedIssuer('https://imposteur.example/realms/mtmd');
    const child = spawn(process.execPath, bundledService('gateway/src/index.ts'), {
      cwd: REPOSITORY,
      env: { ...process.env, ...providerEnv(), NODE_OPTIONS: `--require ${path.join(REPOSITORY, 'tests', 'support', 'loopback-guard.cjs')}`, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exitCode = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(exitCode).toBe(1);
    expect(stderr).toContain('[gateway] démarrage impossible : Configuration invalide de la passerelle:');
    expect(stderr).toContain("OIDC_DISCOVERY_URL: le document de découverte nomme l'émetteur « https://imposteur.example/realms/mtmd », pas l'adresse sous laquelle il est publié");
  });
});
