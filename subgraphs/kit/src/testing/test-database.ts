import type { DatabaseConnection } from '../database/orm';
import { startEmbeddedServer } from '../database/embedded-postgres';
import { createDatabaseOnServer, preparedTemplate, type TemplateKey } from './templates';

export interface TestDatabase {
  connection: DatabaseConnection;
  drop(): Promise<void>;
}

/**
 * A fresh database for one test file (style.md §12), with a random name, on `TEST_DATABASE_URL`'s
 * server (Jest's global setup names its embedded server there when none is given), dropped
 * afterwards; outside such a run, on an embedded server of its own, gone when it stops. Given the
 * `template` it will be migrated and seeded as, and when this Jest run prepared that template
 * (see templates.ts), it starts as a copy of it instead of empty.
 */
export async function createTestDatabase(label: string, template?: TemplateKey): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    const database = await createDatabaseOnServer(adminUrl, label, template ? preparedTemplate(template) : undefined);
    return { connection: { kind: 'postgresql', url: database.url }, drop: () => database.drop() };
  }
  const server = await startEmbeddedServer();
  return { connection: { kind: 'postgresql', url: server.urlOf() }, drop: () => server.stop() };
}

/** Like `createTestDatabase`, but as a URL, so that a test can put a proxy in front of it and cut it. */
export async function createTestDatabaseServer(label: string, template?: TemplateKey): Promise<{ url: string; drop(): Promise<void> }> {
  const database = await createTestDatabase(label, template);
  if (database.connection.kind !== 'postgresql') throw new Error('a test database is reached by URL');
  return { url: database.connection.url, drop: () => database.drop() };
}
