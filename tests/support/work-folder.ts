import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A new temporary folder for a test's files, the embedded database's among them. mkdtemp makes it
 * private; under root the embedded PostgreSQL runs as the `postgres` user, which must traverse
 * it to reach its data folder (else the kit keeps that data elsewhere in the temporary folder,
 * where the test's clean-up would not find it).
 */
export function workFolder(prefix: string): string {
  const folder = mkdtempSync(path.join(tmpdir(), prefix));
  chmodSync(folder, 0o711);
  return folder;
}
