import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { embeddedStartParams } from '../database/embedded-postgres';
import { Client } from 'pg';
import { createLogger } from '../logger';
import { migrationsOf, openDatabase, type DatabaseConnection } from '../database/orm';
import type { SubgraphDefinition } from '../subgraph';

/*
 * Migrating and seeding a subgraph's database is most of what starting it costs in a test: on
 * PostgreSQL a few hundred statements, on the embedded PGlite an initdb in WebAssembly and the same
 * statements on one thread (tens of seconds on a loaded machine). Jest's global setup does it once
 * per run and per subgraph; each test file then still gets its own fresh, isolated database
 * (style.md §12), copied from that one:
 * - on a real server (`TEST_DATABASE_URL`), `CREATE DATABASE … TEMPLATE …`, a file copy;
 * - embedded, a PGlite started from a dump of the prepared data directory (`loadDataDir`).
 * The subgraph still runs its migrations and seeds at start: none is pending, and seeds only add
 * what is missing, so a copy starts exactly as a fresh database would.
 */

/** What a test database is prepared from: a subgraph's name, migrations and whether demo data is seeded. */
export interface TemplateKey {
  name: string;
  migrations: string[];
  seedDemoData: boolean;
}

/** Where the prepared databases of this Jest run are, by template key (set by the global setup). */
const TEMPLATES_VARIABLE = 'PGAMR_TEST_TEMPLATES';

type Templates = Record<string, string>;

/** A definition's template key: its name, its migrations in order (the kit's first), the seed option. */
export function templateKeyOf(definition: Pick<SubgraphDefinition<unknown, unknown>, 'name' | 'entities' | 'migrations'>, seedDemoData: boolean): TemplateKey {
  return { name: definition.name, migrations: migrationsOf(definition).map((migration) => migration.name), seedDemoData };
}

const idOf = (key: TemplateKey) =>
  `${key.name}-${key.seedDemoData ? 'demo' : 'bare'}-${createHash('sha256').update(key.migrations.join('\n')).digest('hex').slice(0, 12)}`;

function templates(): Templates {
  const value = process.env[TEMPLATES_VARIABLE];
  if (!value) return {};
  const parsed: unknown = JSON.parse(value);
  return parsed && typeof parsed === 'object' ? Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string')) : {};
}

/**
 * The prepared database for `key` in this run: a database name on `TEST_DATABASE_URL`'s server,
 * else the path of a PGlite dump; undefined when none was prepared (a test's own subgraph, a
 * definition with other migrations), and the test database is then migrated from empty.
 */
export function preparedTemplate(key: TemplateKey): string | undefined {
  return templates()[idOf(key)];
}

/** A subgraph definition as the global setup prepares it: its database part and its seeds. */
type Preparable = Pick<SubgraphDefinition<unknown, unknown>, 'name' | 'entities' | 'migrations' | 'seedReferenceData' | 'seedDemoData'>;

/**
 * Jest's global setup: migrates and seeds each definition's database twice (with and without demo
 * data) and publishes them to the test processes through the environment. Returns the teardown.
 */
export async function prepareTestTemplates(definitions: readonly Preparable[]): Promise<() => Promise<void>> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  const prepared: Templates = {};
  let teardown: () => Promise<void>;
  if (adminUrl) {
    const run = randomBytes(4).toString('hex');
    const names: string[] = [];
    // In parallel: the server does the work, each on its own connection.
    await Promise.all(
      definitions.flatMap((definition) =>
        [false, true].map(async (seedDemoData) => {
          const key = templateKeyOf(definition, seedDemoData);
          const name = `pgamr_template_${key.name.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${seedDemoData ? 'demo' : 'bare'}_${run}`;
          await withAdminClient(adminUrl, (client) => client.query(`create database "${name}"`));
          names.push(name);
          await migrateAndSeed(definition, { kind: 'postgresql', url: databaseUrl(adminUrl, name), maxConnections: 2 }, seedDemoData);
          prepared[idOf(key)] = name;
        }),
      ),
    );
    teardown = () => withAdminClient(adminUrl, async (client) => {
      for (const name of names) await client.query(`drop database if exists "${name}" with (force)`);
    });
  } else {
    const folder = await mkdtemp(path.join(tmpdir(), 'pgamr-test-templates-'));
    // PGlite's initdb is the slow part of an embedded start: done once, then loaded from its dump.
    const empty = await PGlite.create({ startParams: embeddedStartParams() });
    const emptyDump = await empty.dumpDataDir('none');
    await empty.close();
    // One after the other: PGlite runs on this process's one thread. The dump without demo data
    // is taken half-way, before the demo seeds, so that each subgraph is migrated once.
    for (const definition of definitions) {
      await withEmbedded(emptyDump, async (url, db) => {
        const connection: DatabaseConnection = { kind: 'postgresql', url, maxConnections: 1 };
        for (const seedDemoData of [false, true]) {
          await migrateAndSeed(definition, connection, seedDemoData);
          const key = templateKeyOf(definition, seedDemoData);
          const file = path.join(folder, `${idOf(key)}.tar`);
          await writeFile(file, Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer()));
          prepared[idOf(key)] = file;
        }
      });
    }
    teardown = () => rm(folder, { recursive: true, force: true });
  }
  process.env[TEMPLATES_VARIABLE] = JSON.stringify(prepared);
  return teardown;
}

/** What the subgraph does to its database as it starts (`buildSubgraph`): migrations, then seeds. */
async function migrateAndSeed(definition: Preparable, connection: DatabaseConnection, seedDemoData: boolean): Promise<void> {
  const database = await openDatabase(connection, definition, createLogger(definition.name, 'silent'));
  try {
    const { seedReferenceData, seedDemoData: seedDemo } = definition;
    if (seedReferenceData) await database.orm.em.fork().transactional((em) => seedReferenceData(em));
    if (seedDemoData && seedDemo) await database.orm.em.fork().transactional((em) => seedDemo(em));
  } finally {
    await database.close();
  }
}

/** A database on the test server: created from `template` (a file copy), dropped by `drop()`. */
export async function createDatabaseOnServer(adminUrl: string, label: string, template?: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `pgamr_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(5).toString('hex')}`;
  await withAdminClient(adminUrl, (client) => client.query(template ? `create database "${name}" template "${template}"` : `create database "${name}"`));
  return {
    url: databaseUrl(adminUrl, name),
    drop: async () => {
      await withAdminClient(adminUrl, (client) => client.query(`drop database if exists "${name}" with (force)`));
    },
  };
}

/**
 * An in-memory PGlite loaded from a dump (a prepared template), served on loopback for one
 * connection, as the kit's embedded database is.
 */
export async function startEmbeddedFromDump(file: string): Promise<{ url: string; stop(): Promise<void> }> {
  const db = await PGlite.create({ loadDataDir: new Blob([await readFile(file)]), startParams: embeddedStartParams() });
  return serve(db);
}

async function serve(db: PGlite): Promise<{ url: string; stop(): Promise<void> }> {
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  return {
    url: `postgresql://postgres:postgres@${server.getServerConn()}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

async function withEmbedded<T>(dump: Blob, work: (url: string, db: PGlite) => Promise<T>): Promise<T> {
  const db = await PGlite.create({ loadDataDir: dump, startParams: embeddedStartParams() });
  const served = await serve(db);
  try {
    return await work(served.url, db);
  } finally {
    await served.stop();
  }
}

function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdminClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
