// `--baseline <revision>`: a worktree of that revision beside this one, installed, with its own
// databases built by its own migrations and filled by its own data generator with the manifest's
// seed and scale. Both are kept between runs, by revision: a second run starts at once.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BENCH_DATABASE_URL, withDatabase } from './databases';
import type { BenchManifest } from './manifest';
import { REPOSITORY_ROOT } from './processes';

/** Where baselines are kept: outside the repository, so no linter, type checker or test runner sees them. */
export const BASELINE_CACHE = path.resolve(process.env.BENCH_BASELINE_DIR ?? path.join(os.tmpdir(), 'pgamr-bench-baselines'));

/** Written once a baseline worktree is installed: without it, the folder is rebuilt. */
const READY_MARKER = '.bench-baseline-ready';

export interface BaselineTree {
  /** As given on the command line. */
  requested: string;
  /** The full commit hash. */
  commit: string;
  /** Its abbreviated hash, for labels and database names. */
  short: string;
  root: string;
  /** How its node_modules were installed: `npm ci`, or `npm install` when its lock file was out of sync. */
  install: string;
}

function git(args: string[]): string {
  return execFileSync('git', args, { cwd: REPOSITORY_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** The commit a revision names; throws with git's reason when it names none. */
export function resolveRevision(revision: string): { commit: string; short: string } {
  let commit: string;
  try {
    commit = git(['rev-parse', '--verify', '--quiet', `${revision}^{commit}`]);
  } catch {
    throw new Error(`--baseline ${revision}: no such commit in this repository`);
  }
  return { commit, short: git(['rev-parse', '--short', commit]) };
}

/** Runs a command with its output in `logPath`; rejects with the log's tail when it fails. */
function run(command: string, args: string[], cwd: string, logPath: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const log = openSync(logPath, 'a');
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', log, log] });
  closeSync(log);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) return resolve();
      const tail = readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-15).join('\n');
      reject(new Error(`${command} ${args.join(' ')} (in ${cwd}) failed (${signal ?? `code ${code}`}); ${logPath}:\n${tail}`));
    });
  });
}

/**
 * A git worktree of the revision (detached) in the cache, with its own node_modules: its
 * workspace packages must link to its own sources. Reused when already installed; a half-made
 * one (a bench stopped during `npm ci`) is removed and made again.
 */
export async function prepareBaselineTree(requested: string, logDirectory: string, log: (line: string) => void): Promise<BaselineTree> {
  const { commit, short } = resolveRevision(requested);
  const root = path.join(BASELINE_CACHE, commit);
  const marker = path.join(root, READY_MARKER);
  if (existsSync(marker)) {
    const install = readFileSync(marker, 'utf8').split('\n')[2]?.trim() || 'npm ci';
    log(`baseline ${short}: worktree ${root} (installed with ${install})`);
    return { requested, commit, short, root, install };
  }
  mkdirSync(BASELINE_CACHE, { recursive: true });
  const logPath = path.join(logDirectory, 'baseline-install.log');
  if (existsSync(root)) {
    log(`baseline ${short}: removing the unfinished worktree ${root}`);
    try {
      git(['worktree', 'remove', '--force', root]);
    } catch {
      rmSync(root, { recursive: true, force: true });
    }
  }
  git(['worktree', 'prune']);
  log(`baseline ${short}: git worktree add --detach ${root}`);
  git(['worktree', 'add', '--detach', root, commit]);
  log(`baseline ${short}: npm ci (its own node_modules; output in ${path.relative(process.cwd(), logPath)})…`);
  const started = Date.now();
  // Not this shell's npm_config_* from `npm run bench`: the install is the baseline's own.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  let install = 'npm ci';
  try {
    await run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], root, logPath, env);
  } catch (error) {
    // A revision whose lock file lacks entries (optional platform packages added by a later
    // npm) is refused by `npm ci`; `npm install` keeps every version the lock file pins and
    // adds what it lacks, in the worktree only.
    if (!readFileSync(logPath, 'utf8').includes('can only install packages when your package.json and package-lock.json')) throw error;
    log(`baseline ${short}: its package-lock.json is out of sync with its package.json (npm ci refuses it): npm install instead, with the versions the lock file pins`);
    install = 'npm install (its lock file out of sync: npm ci refused it)';
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], root, logPath, env);
  }
  writeFileSync(marker, `${commit}\n${new Date().toISOString()}\n${install}\n`);
  log(`baseline ${short}: installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return { requested, commit, short, root, install };
}

/** The baseline's own names for the four bench databases: one set per revision, beside today's. */
export function baselineDatabasePrefix(tree: BaselineTree): string {
  return `pgamr_bench_b${tree.short.toLowerCase()}_`;
}

interface StoredManifest {
  seed?: number;
  scale?: number;
  digest?: string;
  databases?: Record<string, string>;
}

async function databasesExist(urls: readonly string[]): Promise<boolean> {
  const names = urls.map((url) => decodeURIComponent(new URL(url).pathname.slice(1)));
  return withDatabase(BENCH_DATABASE_URL, async (client) => {
    const { rows } = await client.query<{ count: string }>('select count(*) from pg_database where datname = any($1)', [names]);
    return Number(rows[0]?.count ?? 0) === names.length;
  });
}

/**
 * The baseline's data set: its own `generateBenchData` (its migrations build the schemas its
 * code expects; its generator writes the rows in that schema) with the current manifest's seed
 * and scale, into databases of its own (`pgamr_bench_b<rev>_*`), so the two stacks never share
 * a table and the current tree's grants and sessions never show in the baseline's answers.
 * Kept between runs while the seed and scale match and the databases exist.
 */
export async function prepareBaselineData(
  tree: BaselineTree,
  current: BenchManifest,
  logDirectory: string,
  log: (line: string) => void,
): Promise<string> {
  const manifestPath = path.join(tree.root, 'bench', '.data', `manifest-${tree.short}.json`);
  if (existsSync(manifestPath)) {
    const stored = JSON.parse(readFileSync(manifestPath, 'utf8')) as StoredManifest;
    if (stored.seed === current.seed && stored.scale === current.scale && stored.databases && (await databasesExist(Object.values(stored.databases)))) {
      log(`baseline ${tree.short}: data set of seed ${current.seed}, scale ${current.scale} already loaded (${path.relative(process.cwd(), manifestPath)})`);
      return manifestPath;
    }
  }
  const logPath = path.join(logDirectory, 'baseline-data.log');
  log(`baseline ${tree.short}: its own npm run bench:data with seed ${current.seed}, scale ${current.scale}, into ${baselineDatabasePrefix(tree)}* (output in ${path.relative(process.cwd(), logPath)})…`);
  const started = Date.now();
  const script = path.join(__dirname, 'baseline-data.ts');
  await run(
    process.execPath,
    ['--import', 'tsx', script, tree.root, String(current.seed), String(current.scale), manifestPath, baselineDatabasePrefix(tree)],
    tree.root,
    logPath,
    { ...process.env, BENCH_DATABASE_URL },
  );
  log(`baseline ${tree.short}: data set loaded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return manifestPath;
}

/** What the report says of the two data sets: the same seed and scale, and where they differ. */
export function compareDataSets(current: BenchManifest, baseline: BenchManifest): string[] {
  const lines: string[] = [];
  const personaKinds = Object.keys(current.personas) as Array<keyof BenchManifest['personas']>;
  const idsOf = (manifest: BenchManifest, kind: keyof BenchManifest['personas']) =>
    (manifest.personas[kind] ?? []).map((persona) => ('userId' in persona ? persona.userId : `${persona.manager.userId}>${persona.targetUserId}:${persona.serviceId}`));
  const samePersonas = personaKinds.filter((kind) => JSON.stringify(idsOf(current, kind)) === JSON.stringify(idsOf(baseline, kind)));
  const differentPersonas = personaKinds.filter((kind) => !samePersonas.includes(kind));
  lines.push(
    differentPersonas.length === 0
      ? `Personas: the same users, in the same order, in every list (${personaKinds.map((kind) => `${kind} ${current.personas[kind].length}`).join(', ')}).`
      : `Personas differ in ${differentPersonas.join(', ')} (same in ${samePersonas.join(', ') || 'none'}).`,
  );
  const tables = [...new Set([...Object.keys(current.counts), ...Object.keys(baseline.counts)])].sort();
  const differing = tables.filter((table) => current.counts[table] !== baseline.counts[table]);
  lines.push(
    differing.length === 0
      ? `Rows: the same count in each of the ${tables.length} tables.`
      : `Rows: the same count in ${tables.length - differing.length} of ${tables.length} tables; differing (current / baseline): ${differing
          .map((table) => `${table} ${current.counts[table] ?? '—'} / ${baseline.counts[table] ?? '—'}`)
          .join(', ')}.`,
  );
  return lines;
}
