import type { AddressInfo } from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Clock } from '../clock';
import type { EventBus } from '../events/contract';
import type { PeerClientName } from '../context';
import type { OperationLimitsConfig } from '../limits/config';
import { createLogger } from '../logger';
import { buildSubgraph, type BuiltSubgraph, type SubgraphDefinition } from '../subgraph';
import type { DatabaseConnection } from '../database/orm';
import { createTestDatabase, type TestDatabase } from './test-database';
import { templateKeyOf } from './templates';

export { createTestDatabase, createTestDatabaseServer, type TestDatabase } from './test-database';
export { prepareTestTemplates, templateKeyOf, type TemplateKey } from './templates';
export { createTestEventBus, uniqueToken, type TestEventBus } from './event-bus';

export interface TestSubgraph extends BuiltSubgraph {
  /** The subgraph's GraphQL endpoint on loopback. */
  url: string;
  origin: string;
}

/**
 * Starts a subgraph on its own fresh database (migrated, optionally seeded) on a free loopback
 * port. `close()` stops it and drops the database.
 */
export async function startTestSubgraph<TLoaders, TServices, TClients extends PeerClientName = never>(
  definition: SubgraphDefinition<TLoaders, TServices, TClients>,
  options: {
    seedDemoData?: boolean;
    jwksUrl?: string;
    jwksCooldownMs?: number;
    rightsUrl?: string;
    directoryUrl?: string;
    mandatesUrl?: string;
    logLines?: string[];
    /** A port chosen beforehand, when another subgraph must know the URL before this one starts. */
    port?: number;
    /** Identity's session state; by default beside `jwksUrl`. */
    sessionsUrl?: string;
    /** `SESSION_ASSERTION_SECRET`, shared with a test gateway; by default none (every request is asked about). */
    sessionAssertionSecret?: Buffer;
    /** Where the database is: by default a fresh one (`TEST_DATABASE_URL`'s server, else embedded). */
    database?: DatabaseConnection;
    /** Operation limits other than the kit's SUBGRAPH_LIMITS. */
    limits?: OperationLimitsConfig;
    /** The services subgraph's catalog registrations: a subgraph with a catalog declaration registers there. */
    catalogUrl?: string;
    /** `CATALOG_REGISTRATION_TOKEN`. */
    catalogToken?: string;
    /** Runs as in production (NODE_ENV=production). */
    production?: boolean;
    /** What the subgraph's rules read as now (a test clock); by default the system clock. */
    clock?: Clock;
    /** The event bus its relay publishes to and its consumers read (createTestEventBus); the test closes it. */
    eventBus?: EventBus;
  } = {},
): Promise<TestSubgraph> {
  const seedDemoData = options.seedDemoData ?? true;
  const testDatabase: TestDatabase = options.database
    ? { connection: options.database, drop: async () => undefined }
    : await createTestDatabase(definition.name, templateKeyOf(definition, seedDemoData));
  const lines = options.logLines;
  const logger = lines
    ? createLogger(definition.name, 'debug', 'json', { write: (line: string) => void lines.push(line) })
    : createLogger(definition.name, process.env.TEST_LOG_LEVEL ?? 'silent');
  // A subgraph that fails to start (a migration, a port taken) leaves no database or server behind:
  // an embedded database left running would keep Jest from exiting.
  let built: BuiltSubgraph | undefined;
  try {
    built = await buildSubgraph(definition, {
      database: testDatabase.connection,
      logger,
      seedDemoData,
      // Tests of subgraphs that need tokens pass the test identity subgraph's JWKS.
      jwksUrl: options.jwksUrl ?? 'http://127.0.0.1:9/.well-known/jwks.json',
      ...(options.jwksCooldownMs === undefined ? {} : { jwksCooldownMs: options.jwksCooldownMs }),
      ...(options.sessionsUrl === undefined ? {} : { sessionsUrl: options.sessionsUrl }),
      ...(options.sessionAssertionSecret ? { sessionAssertionSecret: options.sessionAssertionSecret } : {}),
      // Port 9 answers nothing: without a decision point the subgraph denies (fails closed).
      rightsUrl: options.rightsUrl ?? 'http://127.0.0.1:9/authz/v1/rights',
      // Used only by a subgraph that names these clients; port 9 again: unanswered, an outage.
      directoryUrl: options.directoryUrl ?? 'http://127.0.0.1:9/directory/v1/firm-users',
      mandatesUrl: options.mandatesUrl ?? 'http://127.0.0.1:9/authz/v1/mandates',
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.catalogUrl ? { catalogUrl: options.catalogUrl } : {}),
      ...(options.catalogToken ? { catalogToken: options.catalogToken } : {}),
      ...(options.production ? { production: true } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.eventBus ? { eventBus: options.eventBus } : {}),
    });
    await built.app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  } catch (error) {
    await built?.close().catch(() => undefined);
    await testDatabase.drop().catch(() => undefined);
    throw error;
  }
  const { port } = built.app.server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const running = built;
  return {
    ...running,
    origin,
    url: `${origin}/graphql`,
    async close() {
      await running.close();
      await testDatabase.drop();
    },
  };
}

/**
 * The SQL that would still be needed to bring the migrated schema to what the entities
 * describe: empty when the committed migrations are complete.
 */
export async function pendingSchemaChanges(orm: MikroORM): Promise<string> {
  return (await orm.schema.getUpdateSchemaSQL({ wrap: false })).trim();
}
export { adjustableClock, fixedClock, offsetClock, type AdjustableClock } from './clock';
export { waitFor, type WaitForOptions } from './wait-for';
export { signTestToken, startTestTokenIssuer, type TestTokenIssuer, type TestViewerClaims } from './token-issuer';
// The helpers subgraph tests share with the end-to-end tests (tests/support re-exports them).
export * from './graphql';
export * from './ports';
export * from './query-plans';
export * from './session';

/**
 * A counter's value as a service serves it at `<origin>/metrics` (Prometheus text), summed over
 * its label sets; 0 when absent.
 */
export async function readCounter(origin: string, name: string, headers: Record<string, string> = {}): Promise<number> {
  const response = await fetch(`${origin}/metrics`, { headers });
  if (!response.ok) throw new Error(`${origin}/metrics answered ${response.status}`);
  let total = 0;
  for (const line of (await response.text()).split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{[^}]*\})? (\S+)$/.exec(line);
    if (match?.[1] === name) total += Number(match[2]);
  }
  return total;
}

/** The SQL statements a subgraph sent to its database while `work` ran, from its `/metrics`. */
export async function statementsDuring<T>(origin: string, work: () => Promise<T>): Promise<{ statements: number; result: T }> {
  const before = await readCounter(origin, 'subgraph_sql_statements_total');
  const result = await work();
  return { statements: (await readCounter(origin, 'subgraph_sql_statements_total')) - before, result };
}
