import pg from 'pg';
import { withClient } from '../data/databases';
import type { BenchManifest } from './manifest';

export type SubgraphKey = keyof BenchManifest['databases'];

/** The server the bench databases live on, as `npm run bench:data` uses it. */
export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A manifest names databases on the bench server; a full URL is taken as it is. */
export function databaseUrl(nameOrUrl: string, serverUrl = BENCH_DATABASE_URL): string {
  if (/^postgres(ql)?:\/\//.test(nameOrUrl)) return nameOrUrl;
  const url = new URL(serverUrl);
  url.pathname = `/${nameOrUrl}`;
  return url.toString();
}

export function databaseUrls(manifest: BenchManifest): Record<SubgraphKey, string> {
  const { identity, services, mandates, roadAid } = manifest.databases;
  return {
    identity: databaseUrl(identity),
    services: databaseUrl(services),
    mandates: databaseUrl(mandates),
    roadAid: databaseUrl(roadAid),
  };
}

/** Runs `work` on one connection, always closed after: the data generator's. */
export const withDatabase = withClient;

/** The server's own version string, for the report. */
export function postgresVersion(url: string): Promise<string> {
  return withDatabase(url, async (client) => {
    const { rows } = await client.query<{ server_version: string }>('show server_version');
    return rows[0]?.server_version ?? 'unknown';
  });
}

/** Creates a database on the server unless it exists (the demo-data development set). */
export async function ensureDatabase(name: string, serverUrl = BENCH_DATABASE_URL): Promise<void> {
  await withDatabase(serverUrl, async (client) => {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database "${name.replaceAll('"', '""')}"`);
  });
}

/**
 * A probe of the statements running in the given databases, on one connection kept for the
 * bench: the runner waits for zero before reading counters after a run.
 */
export async function databaseActivityProbe(serverUrl: string, databaseNames: readonly string[]) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  return {
    active: async (): Promise<number> => {
      const { rows } = await client.query<{ count: string }>(
        `select count(*) from pg_stat_activity
          where datname = any($1) and pid <> pg_backend_pid() and state is not null and state <> 'idle'`,
        [databaseNames],
      );
      return Number(rows[0]?.count ?? 0);
    },
    /**
     * PostgreSQL's processes that work for the given databases: their backends (pools,
     * autovacuum workers) and the server's background processes, which belong to no database
     * (checkpointer, WAL writer, background writer, autovacuum launcher). Other databases'
     * backends (another job's tests on the same server) are left out, and so is this probe.
     */
    serverPids: async (names: readonly string[]): Promise<number[]> => {
      const { rows } = await client.query<{ pid: number }>(
        'select pid from pg_stat_activity where pid <> pg_backend_pid() and (datname = any($1) or datname is null)',
        [names],
      );
      return rows.map((row) => Number(row.pid));
    },
    close: () => client.end(),
  };
}
