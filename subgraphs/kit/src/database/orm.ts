import { DataloaderType, type EntitySchema, type MigrationObject } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { AUDIT_MIGRATIONS } from '../audit/audit-migrations';
import { AuditEventSchema } from '../audit/audit-event.entity';
import { OUTBOX_MIGRATIONS } from '../events/outbox-migrations';
import { OutboxMessageSchema } from '../events/outbox-message.entity';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';

/** Where to connect: a PostgreSQL URL, or an embedded database (on disk, or in memory without a folder). */
export type DatabaseConnection =
  /** `maxConnections`: the pool's size (10 by default). */
  | { kind: 'postgresql'; url: string; maxConnections?: number }
  /** `database`: the subgraph's database on that server (`postgres`, the first one, without). */
  | { kind: 'embedded'; dataDir?: string; database?: string };

export interface DatabaseDefinition {
  // MikroORM's EntitySchema is invariant in its entity type; a subgraph lists schemas of several.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  entities: EntitySchema<any>[];
  /**
   * Every migration of the subgraph, oldest first; listed explicitly so no file globbing is needed
   * at run time. The kit's own tables' migrations (the audit trail's, the outbox's) come before them by themselves.
   */
  migrations: MigrationObject[];
}

/** The kit's migrations for the shared tables a subgraph uses, then the subgraph's own. */
export const migrationsOf = (definition: DatabaseDefinition): MigrationObject[] => [
  ...(definition.entities.includes(AuditEventSchema) ? AUDIT_MIGRATIONS : []),
  ...(definition.entities.includes(OutboxMessageSchema) ? OUTBOX_MIGRATIONS : []),
  ...definition.migrations,
];

export interface Database {
  orm: MikroORM;
  /** The URL MikroORM connects to (the embedded server's when embedded). */
  url: string;
  /** How long opening took, phase by phase (ms): the embedded database's start, MikroORM, the migrations. */
  openedInMs: { embeddedDatabase?: number; orm: number; migrations: number };
  close(): Promise<void>;
}

/**
 * Gives every failed statement's error its SQL with placeholders (`statement`), so that logs can
 * say which statement failed without the values bound to it (personal data): the driver's own
 * message spells the values out, and is never logged (see the logger's error serializer).
 */
function keepStatementShapeOnErrors(orm: MikroORM): void {
  orm.em
    .getConnection()
    .getKnex()
    .on('query-error', (error: unknown, query: { sql?: unknown }) => {
      if (error && typeof error === 'object' && typeof query.sql === 'string') {
        Object.defineProperty(error, 'statement', { value: query.sql, enumerable: true, configurable: true });
      }
    });
}

/**
 * Opens the subgraph's database once at start-up and brings its schema up to date with the
 * committed migrations. Never `schema:update`: the migrations are the schema's history.
 */
export async function openDatabase(
  connection: DatabaseConnection,
  definition: DatabaseDefinition,
  logger: Logger,
): Promise<Database> {
  let embedded: EmbeddedPostgres | undefined;
  const started = performance.now();
  if (connection.kind === 'embedded') embedded = await startEmbeddedPostgres(connection.dataDir, connection.database);
  const embeddedDone = performance.now();
  const url = embedded?.url ?? (connection as { url: string }).url;
  try {
    const orm = await MikroORM.init({
      clientUrl: url,
      entities: definition.entities,
      extensions: [Migrator],
      migrations: {
        migrationsList: migrationsOf(definition),
        transactional: true,
        allOrNothing: true,
        snapshot: false,
        // Turning foreign keys off needs a superuser; our migrations are ordered instead.
        disableForeignKeys: false,
      },
      pool: { min: 0, max: (connection.kind === 'postgresql' ? connection.maxConnections : undefined) ?? 10 },
      // A database that does not answer is an outage to report (SERVICE_UNAVAILABLE), not a wait
      // of knex's default minute: connecting gets 5 s, waiting for a pooled connection 10 s.
      // No JIT compilation: the subgraphs' statements are short, and on the analysts' figures over
      // the whole province (issue 18) compiling took 600 ms for a 225 ms statement.
      driverOptions: { acquireConnectionTimeout: 10_000, connection: { connectionTimeoutMillis: 5_000, options: '-c jit=off' } },
      ensureDatabase: false,
      allowGlobalContext: false,
      forceUtcTimezone: true,
      dataloader: DataloaderType.ALL,
      debug: logger.isLevelEnabled('debug') ? ['query', 'query-params'] : false,
      logger: (message) => logger.debug({ orm: true }, message),
    });
    keepStatementShapeOnErrors(orm);
    // MikroORM's migrator creates a database it does not find: a mistyped URL would start on an
    // empty new database. Creating it is the operator's step (README); a missing one is refused here.
    await orm.em.getConnection().execute('select 1');
    const ormDone = performance.now();
    const applied = await orm.migrator.up();
    if (applied.length > 0) logger.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
    return {
      orm,
      url,
      openedInMs: {
        ...(embedded ? { embeddedDatabase: Math.round(embeddedDone - started) } : {}),
        orm: Math.round(ormDone - embeddedDone),
        migrations: Math.round(performance.now() - ormDone),
      },
      async close() {
        await orm.close(true);
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}
