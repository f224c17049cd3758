import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startEmbeddedServer } from '../database/embedded-postgres';
import { createLogger } from '../logger';
import { migrationsOf, openDatabase, type DatabaseConnection } from '../database/orm';
import type { SubgraphDefinition } from '../subgraph';

/*
 * Migrating and seeding a subgraph's database is most of what starting it costs in a test: a few
 * hundred statements. Jest's global setup does it once per run and per subgraph; each test file
 * then still gets its own fresh, isolated database (style.md §12), copied from that one with
 * `CREATE DATABASE … TEMPLATE …`, a file copy. The server is `TEST_DATABASE_URL`'s, else one
 * embedded server the global setup starts for the whole run and names in `TEST_DATABASE_URL`.
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
 * The prepared database for `key` in this run: a database name on `TEST_DATABASE_URL`'s server;
 * undefined when none was prepared (a test's own subgraph, a
 * definition with other migrations), and the test database is then migrated from empty.
 */
export function preparedTemplate(key: TemplateKey): string | undefined {
  return templates()[idOf(key)];
}

/** A subgraph definition as the global setup prepares it: its database part and its seeds. */
type Preparable = Pick<SubgraphDefinition<unknown, unknown>, 'name' | 'entities' | 'migrations' | 'seedReferenceData' | 'seedDemoData'>;

/**
 * Jest's global setup: migrates and seeds each definition's database twice (with and without demo
 * data) and publishes them to the test processes through the environment, on `TEST_DATABASE_URL`'s
 * server, else on an embedded server started here for the run. Returns the teardown.
 */
export async function prepareTestTemplates(definitions: readonly Preparable[]): Promise<() => Promise<void>> {
  // Enough for two workers' stacks (four subgraphs' pools of ten each) and their proxies' tests.
  const embedded = process.env.TEST_DATABASE_URL ? undefined : await startEmbeddedServer({ maxConnections: 300 });
  if (embedded) process.env.TEST_DATABASE_URL = embedded.urlOf();
  const adminUrl = process.env.TEST_DATABASE_URL ?? '';
  const prepared: Templates = {};
  const run = randomBytes(4).toString('hex');
  const names: string[] = [];
  try {
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
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  process.env[TEMPLATES_VARIABLE] = JSON.stringify(prepared);
  if (embedded) return () => embedded.stop();
  return () =>
    withAdminClient(adminUrl, async (client) => {
      for (const name of names) await client.query(`drop database if exists "${name}" with (force)`);
    });
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
