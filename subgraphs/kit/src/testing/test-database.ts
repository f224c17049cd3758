import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DatabaseConnection } from '../database/orm';
import { startEmbeddedPostgres } from '../database/embedded-postgres';

export interface TestDatabase {
  connection: DatabaseConnection;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one test file (style.md §12). With `TEST_DATABASE_URL` set, a
 * database with a random name is created on that server and dropped afterwards; otherwise an
 * in-memory embedded PostgreSQL is used, gone when it stops.
 */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) return { connection: { kind: 'embedded' }, drop: async () => undefined };

  const name = `pgamr_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(5).toString('hex')}`;
  await withAdminClient(adminUrl, (client) => client.query(`create database "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    connection: { kind: 'postgresql', url: url.toString() },
    drop: () => withAdminClient(adminUrl, (client) => client.query(`drop database if exists "${name}" with (force)`)),
  };
}

/**
 * Like `createTestDatabase`, but always reached by URL over the network, so that a test can put
 * a proxy in front of it and cut it: embedded, it is PGlite served on loopback (one connection).
 */
export async function createTestDatabaseServer(label: string): Promise<{ url: string; maxConnections?: number; drop(): Promise<void> }> {
  const database = await createTestDatabase(label);
  if (database.connection.kind === 'postgresql') return { url: database.connection.url, drop: () => database.drop() };
  const embedded = await startEmbeddedPostgres();
  return { url: embedded.url, maxConnections: 1, drop: () => embedded.stop() };
}

async function withAdminClient(url: string, work: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
