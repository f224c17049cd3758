import { availableParallelism } from 'node:os';
import path from 'node:path';
import { readGatewayConfig, subgraphUrl } from './config';

describe('readGatewayConfig', () => {
  it('serves the committed supergraph on loopback:4000 by default, with usage reporting off', () => {
    const config = readGatewayConfig({});
    expect(config).toMatchObject({ host: '127.0.0.1', port: 4000, production: false, usageReporting: false, subgraphUrls: {} });
    expect(config.supergraphPath).toBe(path.resolve(__dirname, '..', '..', 'supergraph.graphql'));
  });

  it('overrides a subgraph URL with <NAME>_SUBGRAPH_URL, for names with dashes too', () => {
    const config = readGatewayConfig({ IDENTITY_SUBGRAPH_URL: 'http://identity:8080/graphql', ROAD_AID_SUBGRAPH_URL: 'http://road:8080/graphql' });
    expect(subgraphUrl(config, 'identity', 'http://127.0.0.1:4001/graphql')).toBe('http://identity:8080/graphql');
    expect(subgraphUrl(config, 'road-aid', 'http://127.0.0.1:4009/graphql')).toBe('http://road:8080/graphql');
    expect(subgraphUrl(config, 'services', 'http://127.0.0.1:4002/graphql')).toBe('http://127.0.0.1:4002/graphql');
  });

  it('fails fast on bad values', () => {
    expect(() => readGatewayConfig({ GATEWAY_PORT: '-1' })).toThrow(/GATEWAY_PORT/);
    expect(() => readGatewayConfig({ SERVICES_SUBGRAPH_URL: 'ftp://x' })).toThrow(/SERVICES_SUBGRAPH_URL/);
    expect(() => readGatewayConfig({ APOLLO_USAGE_REPORTING: 'true' })).toThrow(/APOLLO_KEY/);
  });

  it('runs one process by default, a number of workers, or one per CPU with GATEWAY_WORKERS=auto', () => {
    expect(readGatewayConfig({}).workers).toBe(1);
    expect(readGatewayConfig({ GATEWAY_WORKERS: '3' }).workers).toBe(3);
    expect(readGatewayConfig({ GATEWAY_WORKERS: 'auto' }).workers).toBe(availableParallelism());
    for (const value of ['0', '-2', 'deux', '1.5', '1000']) {
      expect(() => readGatewayConfig({ GATEWAY_WORKERS: value })).toThrow(/GATEWAY_WORKERS: un nombre de processus/);
    }
  });

  it('refuses several workers in production without REDIS_URL: each would count rate limits on its own', () => {
    for (const value of ['2', 'auto']) {
      expect(() => readGatewayConfig({ NODE_ENV: 'production', GATEWAY_WORKERS: value })).toThrow(`GATEWAY_WORKERS=${value} exige REDIS_URL en production`);
    }
    expect(readGatewayConfig({ NODE_ENV: 'production', GATEWAY_WORKERS: '2', REDIS_URL: 'redis://redis:6379', NATS_URL: 'nats://nats:4222' }).workers).toBe(2);
    expect(readGatewayConfig({ NODE_ENV: 'production', GATEWAY_WORKERS: '1', NATS_URL: 'nats://nats:4222' }).workers).toBe(1);
    // Development warns at start instead (see index.ts): one process per CPU without Redis is fine on a laptop.
    expect(readGatewayConfig({ GATEWAY_WORKERS: '2' }).workers).toBe(2);
  });
});

describe("readGatewayConfig: whose access tokens the gateway accepts", () => {
  const DISCOVERY = 'https://sso.example.org/realms/mtmd/.well-known/openid-configuration';

  it("accepts identity's tokens by default, its session asked beside its key set, as before", () => {
    expect(readGatewayConfig({}).tokens).toEqual({
      kind: 'identity',
      jwksUrl: 'http://127.0.0.1:4001/.well-known/jwks.json',
      sessionsUrl: 'http://127.0.0.1:4001/sessions/v1/status',
      acceptance: { issuer: 'pgamr-identity', audience: 'pgamr-api', algorithms: ['ES256'], claims: { roles: 'roles', organization: 'org', direction: 'dir', sessionId: ['sid'] } },
    });
    expect(readGatewayConfig({ IDENTITY_JWKS_URL: 'http://identity.interne/.well-known/jwks.json' }).tokens).toMatchObject({
      kind: 'identity',
      jwksUrl: 'http://identity.interne/.well-known/jwks.json',
      sessionsUrl: 'http://identity.interne/sessions/v1/status',
    });
    expect(readGatewayConfig({ TOKEN_JWKS_URL: 'http://keys.interne/jwks.json', IDENTITY_SESSIONS_URL: 'http://sessions.interne/s' }).tokens).toMatchObject({
      kind: 'identity',
      jwksUrl: 'http://keys.interne/jwks.json',
      sessionsUrl: 'http://sessions.interne/s',
    });
  });

  it('shares SESSION_ASSERTION_SECRET with the subgraphs for identity\'s tokens only, and refuses a malformed one at start', () => {
    const secret = Buffer.alloc(32, 7).toString('base64url');
    expect(readGatewayConfig({ SESSION_ASSERTION_SECRET: secret }).tokens).toMatchObject({ kind: 'identity', sessionAssertionSecret: Buffer.alloc(32, 7) });
    const provider = { TOKEN_ISSUER: 'https://sso.example.org', TOKEN_JWKS_URL: 'https://sso.example.org/jwks', TOKEN_AUDIENCE: 'pgamr' };
    expect(readGatewayConfig({ ...provider, SESSION_ASSERTION_SECRET: secret }).tokens).not.toHaveProperty('sessionAssertionSecret');
    expect(() => readGatewayConfig({ SESSION_ASSERTION_SECRET: 'trop-court' })).toThrow(/SESSION_ASSERTION_SECRET: au moins 32 octets/);
  });

  it("reads another provider's issuer from its discovery document, with the audience and claim names given", () => {
    const tokens = readGatewayConfig({
      OIDC_DISCOVERY_URL: DISCOVERY,
      TOKEN_AUDIENCE: 'pgamr-gateway',
      TOKEN_ROLES_CLAIM: 'realm_access.roles',
      TOKEN_ORGANIZATION_CLAIM: 'https://example.org/organization',
      // Identity's variables, which the subgraphs read from the same environment, are ignored.
      IDENTITY_JWKS_URL: 'http://identity.interne/.well-known/jwks.json',
    }).tokens;
    expect(tokens).toEqual({
      kind: 'discovery',
      discoveryUrl: DISCOVERY,
      expectedIssuer: { issuer: 'https://sso.example.org/realms/mtmd', from: 'OIDC_DISCOVERY_URL' },
      audience: 'pgamr-gateway',
      claims: { roles: 'realm_access.roles', organization: 'https://example.org/organization', direction: 'dir', sessionId: ['sid', 'jti'] },
    });
    expect(readGatewayConfig({ OIDC_DISCOVERY_URL: DISCOVERY, TOKEN_AUDIENCE: 'a', TOKEN_ISSUER: 'https://sso.example.org/x', TOKEN_ALGORITHMS: 'RS256, PS256' }).tokens).toMatchObject({
      expectedIssuer: { issuer: 'https://sso.example.org/x', from: 'TOKEN_ISSUER' },
      algorithms: ['RS256', 'PS256'],
    });
  });

  it("accepts another provider's tokens by its issuer and key set, RS256 and ES256 unless told", () => {
    expect(readGatewayConfig({ TOKEN_ISSUER: 'https://sso.example.org', TOKEN_AUDIENCE: 'api', TOKEN_JWKS_URL: 'https://sso.example.org/jwks' }).tokens).toEqual({
      kind: 'provider',
      jwksUrl: 'https://sso.example.org/jwks',
      acceptance: { issuer: 'https://sso.example.org', audience: 'api', algorithms: ['RS256', 'ES256'], claims: { roles: 'roles', organization: 'org', direction: 'dir', sessionId: ['sid', 'jti'] } },
    });
  });

  it('accepts no token at all with TOKEN_ISSUER=none', () => {
    expect(readGatewayConfig({ TOKEN_ISSUER: 'none' }).tokens).toEqual({ kind: 'none' });
  });

  it.each([
    [{ OIDC_DISCOVERY_URL: DISCOVERY }, 'TOKEN_AUDIENCE: obligatoire avec OIDC_DISCOVERY_URL'],
    [{ OIDC_DISCOVERY_URL: 'https://sso.example.org/realms/mtmd', TOKEN_AUDIENCE: 'a' }, 'OIDC_DISCOVERY_URL: l\'adresse du document de découverte, terminée par /.well-known/openid-configuration'],
    [{ OIDC_DISCOVERY_URL: DISCOVERY, TOKEN_AUDIENCE: 'a', TOKEN_JWKS_URL: 'https://k/jwks' }, 'TOKEN_JWKS_URL: sans objet avec OIDC_DISCOVERY_URL'],
    [{ TOKEN_ISSUER: 'https://sso.example.org', TOKEN_AUDIENCE: 'a' }, "TOKEN_JWKS_URL: obligatoire quand TOKEN_ISSUER (https://sso.example.org) n'est pas l'identité du portail"],
    [{ TOKEN_ISSUER: 'https://sso.example.org', TOKEN_JWKS_URL: 'https://k/jwks' }, 'TOKEN_AUDIENCE: obligatoire avec TOKEN_ISSUER=https://sso.example.org'],
    [{ TOKEN_ALGORITHMS: 'RS256,HS256,none' }, 'TOKEN_ALGORITHMS: « HS256 », « none » refusés ; acceptés : RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512 (jamais none ni HS*'],
    [{ TOKEN_ALGORITHMS: ' , ' }, 'TOKEN_ALGORITHMS: liste vide'],
    [{ TOKEN_ROLES_CLAIM: 'realm access' }, 'TOKEN_ROLES_CLAIM: un nom de revendication (claim) ou un chemin pointé, sans espace'],
    [{ TOKEN_ISSUER: 'none', TOKEN_AUDIENCE: 'a' }, "TOKEN_AUDIENCE: sans objet avec TOKEN_ISSUER=none, qui n'accepte aucun jeton d'accès"],
    [{ TOKEN_JWKS_URL: 'ftp://keys' }, 'TOKEN_JWKS_URL: '],
  ])('refuses %j in French, naming the variable', (env, message) => {
    expect(() => readGatewayConfig(env)).toThrow(message);
  });
});
