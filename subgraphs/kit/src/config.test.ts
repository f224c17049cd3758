import path from 'node:path';
import { readSubgraphConfig } from './config';
import { SUBGRAPH_LIMITS } from './limits/config';

describe('readSubgraphConfig', () => {
  it("defaults to the subgraph's database on the embedded server under .data/postgres, loopback, demo data on", () => {
    expect(readSubgraphConfig('identity', 4001, {})).toEqual({
      name: 'identity',
      variables: { port: 'IDENTITY_PORT', databaseUrl: 'IDENTITY_DATABASE_URL' },
      host: '127.0.0.1',
      port: 4001,
      database: { kind: 'embedded', dataDir: path.resolve('.data', 'postgres'), database: 'identity' },
      seedDemoData: true,
      logLevel: 'info',
      production: false,
      jwksUrl: 'http://127.0.0.1:4001/.well-known/jwks.json',
      sessionsUrl: 'http://127.0.0.1:4001/sessions/v1/status',
      jwksCooldownMs: 30_000,
      tokenCacheMs: 60_000,
      rightsUrl: 'http://127.0.0.1:4002/authz/v1/rights',
      catalogUrl: 'http://127.0.0.1:4002/catalog/v1/registrations',
      limits: SUBGRAPH_LIMITS,
      eventBus: {},
    });
  });

  it('reads the event bus (issue 19): NATS_URL, else EVENT_BUS_DATABASE_URL; production needs one for a subgraph with events', () => {
    expect(readSubgraphConfig('services', 4002, { NATS_URL: 'nats://127.0.0.1:4222' }).eventBus).toEqual({ natsUrl: 'nats://127.0.0.1:4222' });
    expect(readSubgraphConfig('services', 4002, { EVENT_BUS_DATABASE_URL: 'postgres://127.0.0.1/pgamr_bus', NATS_URL: '' }).eventBus).toEqual({
      databaseUrl: 'postgres://127.0.0.1/pgamr_bus',
    });
    expect(() => readSubgraphConfig('services', 4002, { NATS_URL: 'http://127.0.0.1:4222' })).toThrow(/NATS_URL/);
    // A namespace keeps a deployment's subjects and streams apart on a shared broker; a subject token, no dots nor wildcards.
    expect(readSubgraphConfig('services', 4002, { NATS_URL: 'nats://127.0.0.1:4222', NATS_NAMESPACE: 'essai-2' }).eventBus).toEqual({
      natsUrl: 'nats://127.0.0.1:4222',
      namespace: 'essai-2',
    });
    expect(() => readSubgraphConfig('services', 4002, { NATS_URL: 'nats://127.0.0.1:4222', NATS_NAMESPACE: 'pgamr.>' })).toThrow(/NATS_NAMESPACE/);
    const production = { NODE_ENV: 'production', SERVICES_DATABASE_URL: 'postgres://db/services' };
    expect(() => readSubgraphConfig('services', 4002, production, [], true)).toThrow(/NATS_URL: obligatoire en production/);
    expect(readSubgraphConfig('services', 4002, { ...production, NATS_URL: 'nats://bus:4222' }, [], true).eventBus).toEqual({ natsUrl: 'nats://bus:4222' });
    // A subgraph that neither raises nor consumes events needs no bus.
    expect(readSubgraphConfig('services', 4002, production).eventBus).toEqual({});
  });

  it("asks identity's session state beside its key set, unless told otherwise", () => {
    expect(readSubgraphConfig('mandates', 4003, { IDENTITY_JWKS_URL: 'http://identity.interne/.well-known/jwks.json' }).sessionsUrl).toBe(
      'http://identity.interne/sessions/v1/status',
    );
    expect(readSubgraphConfig('mandates', 4003, { IDENTITY_SESSIONS_URL: 'http://sessions.interne/s' }).sessionsUrl).toBe('http://sessions.interne/s');
  });

  it("reads the gateway's SESSION_ASSERTION_SECRET, and refuses a malformed one at start", () => {
    expect(readSubgraphConfig('mandates', 4003, { SESSION_ASSERTION_SECRET: Buffer.alloc(32, 7).toString('base64url') }).sessionAssertionSecret).toEqual(Buffer.alloc(32, 7));
    expect(readSubgraphConfig('mandates', 4003, {}).sessionAssertionSecret).toBeUndefined();
    expect(() => readSubgraphConfig('mandates', 4003, { SESSION_ASSERTION_SECRET: Buffer.alloc(16).toString('base64url') })).toThrow(/SESSION_ASSERTION_SECRET: au moins 32 octets/);
  });

  it('reads the operation limits from SUBGRAPH_MAX_DEPTH…, the same for every subgraph, and refuses a bad one', () => {
    const config = readSubgraphConfig('mandates', 4003, { SUBGRAPH_MAX_DEPTH: '8', SUBGRAPH_MAX_COST: '5000' });
    expect(config.limits).toEqual({ ...SUBGRAPH_LIMITS, maxDepth: 8, maxCost: 5000 });
    expect(() => readSubgraphConfig('mandates', 4003, { SUBGRAPH_MAX_ALIASES: 'beaucoup' })).toThrow(/SUBGRAPH_MAX_ALIASES: un entier positif est attendu/);
  });

  it('uses the real PostgreSQL named by <NAME>_DATABASE_URL and the port from <NAME>_PORT', () => {
    const config = readSubgraphConfig('services', 4002, {
      SERVICES_DATABASE_URL: 'postgresql://pgamr@db.internal:5432/services',
      SERVICES_PORT: '5002',
      SEED_DEMO_DATA: 'false',
    });
    expect(config.database).toEqual({ kind: 'postgresql', url: 'postgresql://pgamr@db.internal:5432/services' });
    expect(config.port).toBe(5002);
    expect(config.seedDemoData).toBe(false);
  });

  it('fails fast, listing every bad variable', () => {
    expect(() =>
      readSubgraphConfig('mandates', 4003, { MANDATES_PORT: 'quatre', MANDATES_DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' }),
    ).toThrow(/MANDATES_PORT[\s\S]*MANDATES_DATABASE_URL[\s\S]*|LOG_LEVEL/);
    expect(() => readSubgraphConfig('mandates', 4003, { MANDATES_PORT: '70000' })).toThrow(/MANDATES_PORT/);
  });

  it("reads another subgraph's client URL only for a subgraph that names the client", () => {
    expect(readSubgraphConfig('mandates', 4003, {}, ['directory'])).toMatchObject({ directoryUrl: 'http://127.0.0.1:4001/directory/v1/firm-users' });
    expect(readSubgraphConfig('mandates', 4003, {}, ['directory']).mandatesUrl).toBeUndefined();
    expect(readSubgraphConfig('services', 4002, { MANDATES_DECISION_URL: 'http://mandates.interne/d' }, ['directory', 'mandates']).mandatesUrl).toBe('http://mandates.interne/d');
    // A subgraph that does not ask identity's directory does not read, nor check, its variable.
    expect(readSubgraphConfig('road-aid', 4004, { IDENTITY_DIRECTORY_URL: 'pas-une-url' }).directoryUrl).toBeUndefined();
    expect(() => readSubgraphConfig('mandates', 4003, { IDENTITY_DIRECTORY_URL: 'pas-une-url' }, ['directory'])).toThrow(/IDENTITY_DIRECTORY_URL/);
  });

  it('takes the bearer token of /metrics from METRICS_TOKEN, 16 characters or more, as the gateway does', () => {
    expect(readSubgraphConfig('mandates', 4003, { METRICS_TOKEN: 'jeton-de-metriques-assez-long' }).metricsToken).toBe('jeton-de-metriques-assez-long');
    expect(readSubgraphConfig('mandates', 4003, { METRICS_TOKEN: '' }).metricsToken).toBeUndefined();
    expect(() => readSubgraphConfig('mandates', 4003, { METRICS_TOKEN: 'court' })).toThrow(/METRICS_TOKEN: au moins 16 caractères/);
  });

  it('refuses to run in production without a real database, and seeds nothing there by default', () => {
    expect(() => readSubgraphConfig('identity', 4001, { NODE_ENV: 'production' })).toThrow(/IDENTITY_DATABASE_URL: obligatoire en production/);
    const config = readSubgraphConfig('identity', 4001, { NODE_ENV: 'production', IDENTITY_DATABASE_URL: 'postgres://db/identity' });
    expect(config.seedDemoData).toBe(false);
  });
});
