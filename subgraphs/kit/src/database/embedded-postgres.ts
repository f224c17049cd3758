import { existsSync, readFileSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** An embedded PostgreSQL (PGlite) reachable through the ordinary wire protocol on loopback. */
export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * PostgreSQL's settings for an embedded database, after PGlite's own. PostgreSQL clears its whole
 * shared memory at start, so its default 128 MB of buffers is resident in every subgraph from the
 * first second: 295 MiB for a bare PGlite opened on its folder against 173 MiB with these settings
 * (issue 16). A development or test database holds a few megabytes: 16 MB of buffers hold it all
 * (with 8 MB, identity's start took about 10 % more CPU, reading pages again).
 */
export const EMBEDDED_SETTINGS: readonly string[] = ['shared_buffers=16MB', 'work_mem=2MB', 'maintenance_work_mem=16MB', 'temp_buffers=1MB', 'wal_buffers=256kB'];

/** PGlite's start parameters with the settings above: every embedded database, tests' included. */
export const embeddedStartParams = (): string[] => [...PGlite.defaultStartParams, ...EMBEDDED_SETTINGS.flatMap((setting) => ['-c', setting])];

/**
 * Starts PGlite and serves it on a free loopback port so that MikroORM's normal PostgreSQL
 * driver talks to it exactly as it would to a real server. PGlite runs one connection at a time,
 * so the pool must hold at most one. A new database is a copy of the
 * template initdb made once (see initdbTemplate), not a new initdb.
 *
 * @param dataDir a folder for durable data, or `undefined` for an in-memory database (tests).
 */
export async function startEmbeddedPostgres(dataDir?: string): Promise<EmbeddedPostgres> {
  const fresh = !dataDir || !(await isDatabaseFolder(dataDir));
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const template = fresh ? await initdbTemplate() : undefined;
  let db: PGlite;
  try {
    db = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      ...(template?.kind === 'ready' ? { loadDataDir: template.dump } : {}),
      startParams: embeddedStartParams(),
    });
    if (template?.kind === 'make') await template.keep(db);
  } finally {
    if (template?.kind === 'make') await template.release();
  }
  // One connection at a time; room for a second only so that a client's new attempt is not reset while
  // its previous one, given up (a 5 s connect time-out on a loaded machine), is still closing here.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 2 });
  await server.start();
  const address = server.getServerConn();
  return {
    url: `postgresql://postgres:postgres@${address}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

/** Whether PostgreSQL has already made its files in the folder (PG_VERSION is initdb's first). */
async function isDatabaseFolder(dataDir: string): Promise<boolean> {
  try {
    return (await readdir(dataDir)).includes('PG_VERSION');
  } catch {
    return false;
  }
}

/** Where the template is kept: beside the installed packages, by PGlite's version (its files are that version's). */
function templatePath(): string {
  const pgliteRoot = path.resolve(path.dirname(require.resolve('@electric-sql/pglite')), '..');
  const manifest: unknown = JSON.parse(readFileSync(path.join(pgliteRoot, 'package.json'), 'utf8'));
  const version = manifest && typeof manifest === 'object' && 'version' in manifest ? String(manifest.version) : 'unknown';
  // <node_modules>/@electric-sql/pglite → <node_modules>/.cache, where tools keep what they can remake.
  return path.join(pgliteRoot, '..', '..', '.cache', 'pgamr', `pglite-${version}-initdb.tar.gz`);
}

/** How long a start waits for another process making the template before making its own. */
const TEMPLATE_WAIT_MS = 120_000;

/** The template to load, or this process's turn to make it from the database it initdb's. */
type Template = { kind: 'ready'; dump: Blob } | { kind: 'make'; keep(db: PGlite): Promise<void>; release(): Promise<void> };

/**
 * A freshly initdb'd database as PGlite dumps it, made once per installed PGlite and loaded into
 * every new embedded database: initdb is most of a first start (4.5 s of CPU and 700 MiB resident
 * in each subgraph, four at once under `npm start`, against 1.4 s and no such peak to load the
 * dump; issue 16). The first process to need it initdb's its own database as before and keeps a
 * dump of it, while the others starting at the same time wait for that dump (a lock file); when
 * it cannot be kept (read-only folder, a maker that died), each database is initdb'd as before.
 */
async function initdbTemplate(): Promise<Template | undefined> {
  let file: string;
  try {
    file = templatePath();
  } catch {
    return undefined;
  }
  if (existsSync(file)) return { kind: 'ready', dump: new Blob([await readFile(file)]) };
  const lock = `${file}.lock`;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    const handle = await open(lock, 'wx');
    await handle.close();
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') return undefined;
    const dump = await waitForTemplate(file, lock);
    return dump ? { kind: 'ready', dump } : undefined;
  }
  return {
    kind: 'make',
    async keep(db) {
      try {
        const dump = await db.dumpDataDir('gzip');
        // Written whole under another name, then renamed: a reader never sees half a file.
        const partial = `${file}.${process.pid}`;
        await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
        await rename(partial, file);
      } catch {
        // Only a cache: the next new database makes it again.
      }
    },
    release: () => rm(lock, { force: true }),
  };
}

/**
 * Makes the template now if it is missing, in this process, and says whether it exists afterwards;
 * `onMaking` is called once this process holds the lock (the subgraphs starting meanwhile wait for
 * it). `npm start` runs it in a short-lived child beside the subgraphs, so that the initdb's peak
 * of memory (about 700 MiB of WebAssembly memory that PostgreSQL does not give back) ends with
 * that child instead of staying in the subgraph that would have made it.
 */
export async function ensureInitdbTemplate(onMaking: () => void = () => undefined): Promise<boolean> {
  const template = await initdbTemplate();
  if (template?.kind !== 'make') return template !== undefined;
  onMaking();
  try {
    const db = await PGlite.create({ startParams: embeddedStartParams() });
    await template.keep(db);
    await db.close();
  } finally {
    await template.release();
  }
  return existsSync(templatePath());
}

/** Waits for the process holding the lock; a lock older than the wait is taken as abandoned. */
async function waitForTemplate(file: string, lock: string): Promise<Blob | undefined> {
  const deadline = Date.now() + TEMPLATE_WAIT_MS;
  while (Date.now() < deadline) {
    if (existsSync(file)) return new Blob([await readFile(file)]);
    const lockStat = await stat(lock).catch(() => undefined);
    if (!lockStat) return existsSync(file) ? new Blob([await readFile(file)]) : undefined;
    if (Date.now() - lockStat.mtimeMs > TEMPLATE_WAIT_MS) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}

function errorCode(error: unknown): unknown {
  return error && typeof error === 'object' && 'code' in error ? error.code : undefined;
}
