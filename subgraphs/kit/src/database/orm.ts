import { DataloaderType, type EntitySchema, type MigrationObject } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';

/** Where to connect: a PostgreSQL URL, or an embedded database (on disk, or in memory without a folder). */
export type DatabaseConnection = { kind: 'postgresql'; url: string } | { kind: 'embedded'; dataDir?: string };

export interface DatabaseDefinition {
  // MikroORM's EntitySchema is invariant in its entity type; a subgraph lists schemas of several.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  entities: EntitySchema<any>[];
  /** Every migration of the subgraph, oldest first; listed explicitly so no file globbing is needed at run time. */
  migrations: MigrationObject[];
}

export interface Database {
  orm: MikroORM;
  /** The URL MikroORM connects to (the embedded server's when embedded). */
  url: string;
  close(): Promise<void>;
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
  if (connection.kind === 'embedded') embedded = await startEmbeddedPostgres(connection.dataDir);
  const url = embedded?.url ?? (connection as { url: string }).url;
  try {
    const orm = await MikroORM.init({
      clientUrl: url,
      entities: definition.entities,
      extensions: [Migrator],
      migrations: {
        migrationsList: definition.migrations,
        transactional: true,
        allOrNothing: true,
        snapshot: false,
        // Turning foreign keys off needs a superuser; our migrations are ordered instead.
        disableForeignKeys: false,
      },
      // PGlite serves one connection at a time.
      pool: embedded ? { min: 0, max: 1 } : { min: 0, max: 10 },
      ensureDatabase: false,
      allowGlobalContext: false,
      forceUtcTimezone: true,
      dataloader: DataloaderType.ALL,
      debug: logger.isLevelEnabled('debug') ? ['query', 'query-params'] : false,
      logger: (message) => logger.debug({ orm: true }, message),
    });
    const applied = await orm.migrator.up();
    if (applied.length > 0) logger.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
    return {
      orm,
      url,
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
