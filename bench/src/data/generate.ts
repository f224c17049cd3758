import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createLogger } from '@pgamr/kit';
import { hashPassword } from '../../../subgraphs/identity/src/auth/passwords';
import { DEMO_PASSWORD } from '../../../subgraphs/identity/src/seed/demo-data';
import { copyTable } from './copy';
import { DATABASE_NAMES, SUBGRAPH_DATABASES, databaseUrl, migrateAndSeed, recreateDatabases, withClient } from './databases';
import { buildDataSet } from './dataset';
import { choosePersonas, type Personas } from './personas';
import { Random } from './random';
import { REFERENCE_DAY } from './reference';
import { tablesOf, type SubgraphDatabase } from './tables';

/** The seed when none is given: the same data set for everyone who runs `npm run bench:data`. */
export const DEFAULT_SEED = 20_261_122;
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_MANIFEST_PATH = path.resolve(__dirname, '..', '..', '.data', 'manifest.json');

/** What the benchmark harness reads (bench/.data/manifest.json) to mint tokens and choose targets. */
export interface BenchManifest {
  seed: number;
  scale: number;
  generatedAt: string;
  /** Full URLs of the four databases. */
  databases: Record<SubgraphDatabase, string>;
  /** Rows per table after the load, demo data included, as `database.table`. */
  counts: Record<string, number>;
  personas: Personas;
  /** "Today" for the data set: mandates, deputies and reports are dated around it. */
  referenceDay: string;
  /** Every generated user's password (identity's demo password), to sign in through identity. */
  password: string;
  /** SHA-256 of every generated row as loaded (the password hash's random salt left out): equal for equal seeds and scales. */
  digest: string;
  timingsMs: Record<string, number>;
}

export interface GenerateOptions {
  /** The server's URL (any database on it): the bench's databases are created beside it. */
  url?: string;
  seed?: number;
  scale?: number;
  /** Where to write the manifest; null to write none. */
  manifestPath?: string | null;
  /** The four databases' names (default pgamr_bench_*): a test's data set beside the bench's. */
  databaseNames?: Record<SubgraphDatabase, string>;
  log?: (line: string) => void;
}

/**
 * `npm run bench:data` as a function: drops and recreates the four bench databases, builds
 * their schemas with the subgraphs' migrations and demo seeds, bulk-loads a deterministic
 * Québec-scale data set with COPY, vacuums and analyzes, and returns (and writes) the manifest.
 */
export async function generateBenchData(options: GenerateOptions = {}): Promise<BenchManifest> {
  const serverUrl = options.url ?? DEFAULT_DATABASE_URL;
  const seed = options.seed ?? DEFAULT_SEED;
  const scale = options.scale ?? 1;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`--seed must be an integer between 0 and 2^32-1, not ${seed}`);
  // Everything is generated in memory before it is loaded: five times Québec is as far as that goes comfortably.
  if (!(scale > 0 && scale <= 5)) throw new Error(`--scale must be above 0 and at most 5, not ${scale}`);
  const log = options.log ?? (() => undefined);
  const timings: Record<string, number> = {};
  const started = performance.now();
  const timed = async <T>(label: string, work: () => Promise<T> | T): Promise<T> => {
    const start = performance.now();
    const result = await work();
    timings[label] = Math.round(performance.now() - start);
    log(`${label.padEnd(28)} ${(timings[label] / 1000).toFixed(1).padStart(6)} s`);
    return result;
  };
  const names = options.databaseNames ?? DATABASE_NAMES;
  const urls = Object.fromEntries(SUBGRAPH_DATABASES.map((db) => [db, databaseUrl(serverUrl, names[db])])) as Record<SubgraphDatabase, string>;

  await timed('databases recreated', () => recreateDatabases(serverUrl, names));
  const logger = createLogger('bench-data', process.env.LOG_LEVEL ?? 'warn', 'json');
  await timed('migrations and demo seeds', () => Promise.all(SUBGRAPH_DATABASES.map((db) => migrateAndSeed(db, urls[db], logger))));

  const data = await timed('data set generated', () => buildDataSet(seed, scale));
  // One hash for every generated user: hashing 30,000 passwords with argon2id would take minutes.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const tables = tablesOf(data, passwordHash);
  const digests = await timed('bulk load (COPY)', () =>
    Promise.all(
      SUBGRAPH_DATABASES.map((db) =>
        withClient(urls[db], async (client) => {
          const digest = createHash('sha256');
          for (const load of tables[db]) {
            const start = performance.now();
            const rows = await copyTable(client, load, digest);
            timings[`copy ${db}.${load.table}`] = Math.round(performance.now() - start);
            log(`  ${`${db}.${load.table}`.padEnd(34)} ${String(rows).padStart(8)} rows ${((performance.now() - start) / 1000).toFixed(1).padStart(6)} s`);
          }
          return digest.digest('hex');
        }),
      ),
    ),
  );
  // VACUUM as well as ANALYZE: a fresh table has no visibility map, so index-only scans would
  // read the heap anyway, and the benchmark's first reads would pay for setting hint bits.
  await timed('vacuum analyze', () => Promise.all(SUBGRAPH_DATABASES.map((db) => withClient(urls[db], (client) => client.query('vacuum (analyze)')))));
  const counts = await timed('counts', () => countRows(urls));
  const personas = await timed('personas chosen', () => choosePersonas(new Random(seed).fork('personas'), data, scale));
  timings.total = Math.round(performance.now() - started);

  const manifest: BenchManifest = {
    seed,
    scale,
    generatedAt: new Date().toISOString(),
    databases: urls,
    counts,
    personas,
    referenceDay: REFERENCE_DAY,
    password: DEMO_PASSWORD,
    digest: createHash('sha256').update(digests.join('')).digest('hex'),
    timingsMs: timings,
  };
  const manifestPath = options.manifestPath === undefined ? DEFAULT_MANIFEST_PATH : options.manifestPath;
  if (manifestPath) {
    await mkdir(path.dirname(manifestPath), { recursive: true });
    await writeFile(manifestPath, JSON.stringify(manifest));
  }
  return manifest;
}

/** Exact row counts of every table of the four databases (the migrations' bookkeeping left out). */
async function countRows(urls: Record<SubgraphDatabase, string>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const db of SUBGRAPH_DATABASES) {
    await withClient(urls[db], async (client) => {
      const { rows: tables } = await client.query<{ table_name: string }>(
        `select table_name from information_schema.tables
          where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'mikro_orm%' order by table_name`,
      );
      for (const { table_name: table } of tables) {
        const { rows } = await client.query<{ count: string }>(`select count(*) from "${table}"`);
        counts[`${db}.${table}`] = Number(rows[0]!.count);
      }
    });
  }
  return counts;
}
