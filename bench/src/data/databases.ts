import { openDatabase, systemClock, type Logger, type SubgraphDefinition } from '@pgamr/kit';
import pg from 'pg';
import { identitySubgraph } from '../../../subgraphs/identity/src/server';
import { mandatesSubgraph } from '../../../subgraphs/mandates/src/server';
import { roadAidSubgraph } from '../../../subgraphs/road-aid/src/server';
import { servicesSubgraph } from '../../../subgraphs/services/src/server';
import type { SubgraphDatabase } from './tables';

/** The bench's databases, one per subgraph, on the server of BENCH_DATABASE_URL. */
export const DATABASE_NAMES: Record<SubgraphDatabase, string> = {
  identity: 'pgamr_bench_identity',
  services: 'pgamr_bench_services',
  mandates: 'pgamr_bench_mandates',
  roadAid: 'pgamr_bench_road_aid',
};

// The subgraphs' own definitions: their entities and committed migrations build each schema,
// so an index another engineer adds in a migration is in the bench's database too.
const DEFINITIONS: Record<SubgraphDatabase, SubgraphDefinition<unknown, unknown>> = {
  identity: identitySubgraph,
  services: servicesSubgraph as SubgraphDefinition<unknown, unknown>,
  mandates: mandatesSubgraph as SubgraphDefinition<unknown, unknown>,
  roadAid: roadAidSubgraph,
};

export const SUBGRAPH_DATABASES = Object.keys(DATABASE_NAMES) as SubgraphDatabase[];

/** The URL of database `name` on the server `serverUrl` points at. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Drops and creates the bench's databases: every run starts from nothing, whatever the last one left. */
export async function recreateDatabases(serverUrl: string, names: Record<SubgraphDatabase, string> = DATABASE_NAMES): Promise<void> {
  await withClient(serverUrl, async (client) => {
    for (const name of Object.values(names)) {
      // FORCE: a subgraph or a psql left connected from the last run must not block the new one.
      await client.query(`drop database if exists "${name}" with (force)`);
      await client.query(`create database "${name}"`);
    }
  });
}

/**
 * Builds one subgraph's schema with its committed migrations and inserts what `buildSubgraph`
 * would at start-up in development: its reference data (the catalog), its demo data set (the
 * demo personas keep working) and its runtime setup (identity's first signing key, which the
 * bench harness signs its tokens with).
 */
export async function migrateAndSeed(database: SubgraphDatabase, url: string, logger: Logger): Promise<void> {
  const definition = DEFINITIONS[database];
  const opened = await openDatabase({ kind: 'postgresql', url }, definition, logger);
  try {
    if (definition.seedReferenceData) await opened.orm.em.fork().transactional((em) => definition.seedReferenceData!(em));
    if (definition.seedDemoData) await opened.orm.em.fork().transactional((em) => definition.seedDemoData!(em));
    await definition.setup?.(opened, { clock: systemClock, logger });
  } finally {
    await opened.close();
  }
}
