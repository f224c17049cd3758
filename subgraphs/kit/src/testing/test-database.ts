import type { DatabaseConnection } from '../database/orm';
import { startEmbeddedPostgres } from '../database/embedded-postgres';
import { createDatabaseOnServer, preparedTemplate, startEmbeddedFromDump, type TemplateKey } from './templates';

export interface TestDatabase {
  connection: DatabaseConnection;
  drop(): Promise<void>;
}

/**
 * A fresh database for one test file (style.md §12). With `TEST_DATABASE_URL` set, a database
 * with a random name is created on that server and dropped afterwards; otherwise an in-memory
 * embedded PostgreSQL is used, gone when it stops. Given the `template` it will be migrated and
 * seeded as, and when this Jest run prepared that template (see templates.ts), it starts as a copy
 * of it instead of empty.
 */
export async function createTestDatabase(label: string, template?: TemplateKey): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  const prepared = template ? preparedTemplate(template) : undefined;
  if (adminUrl) {
    const database = await createDatabaseOnServer(adminUrl, label, prepared);
    return { connection: { kind: 'postgresql', url: database.url }, drop: () => database.drop() };
  }
  if (!prepared) return { connection: { kind: 'embedded' }, drop: async () => undefined };
  // The kit's embedded database, but loaded from the prepared dump: one connection, as PGlite serves.
  const embedded = await startEmbeddedFromDump(prepared);
  return { connection: { kind: 'postgresql', url: embedded.url, maxConnections: 1 }, drop: () => embedded.stop() };
}

/**
 * Like `createTestDatabase`, but always reached by URL over the network, so that a test can put
 * a proxy in front of it and cut it: embedded, it is PGlite served on loopback (one connection).
 */
export async function createTestDatabaseServer(label: string, template?: TemplateKey): Promise<{ url: string; maxConnections?: number; drop(): Promise<void> }> {
  const database = await createTestDatabase(label, template);
  if (database.connection.kind === 'postgresql') {
    const { url, maxConnections } = database.connection;
    return { url, ...(maxConnections === undefined ? {} : { maxConnections }), drop: () => database.drop() };
  }
  const embedded = await startEmbeddedPostgres();
  return { url: embedded.url, maxConnections: 1, drop: () => embedded.stop() };
}
