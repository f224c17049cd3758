import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

/** The repository root: children run from there, as `npm start` runs them. */
export const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..', '..');

export interface ManagedProcess {
  name: string;
  pid: number;
  child: ChildProcess;
  logPath: string;
}

const STOP_GRACE_MS = 10_000;

/**
 * Every process the bench starts, so that all of them stop whatever ends the bench: normal end,
 * failure, Ctrl-C. A child that dies while the bench still needs it is an error, not a silent
 * drop in throughput.
 */
export class ProcessGroup {
  private readonly processes: ManagedProcess[] = [];
  private stopping = false;
  private readonly deaths: string[] = [];

  constructor(private readonly logDirectory: string) {
    mkdirSync(logDirectory, { recursive: true });
    // Last resort when the bench itself dies: no child may outlive it holding a port.
    process.on('exit', () => {
      for (const { child } of this.processes) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
  }

  /** Starts `node --import tsx <entry>` from the repository root, its output to `<name>.log`. */
  startNode(name: string, entry: string, env: NodeJS.ProcessEnv): ManagedProcess {
    const logPath = path.join(this.logDirectory, `${name}.log`);
    const log = openSync(logPath, 'a');
    // BENCH_CPU_PROF_DIR: every process the bench starts writes V8 CPU profiles into <dir>/<name>/
    // when it stops (one per thread: the largest is its main thread).
    const profile = process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF_DIR, name)}`] : [];
    const child = spawn(process.execPath, [...profile, '--import', 'tsx', entry], {
      cwd: REPOSITORY_ROOT,
      env,
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    if (child.pid === undefined) throw new Error(`${name}: could not start ${entry}`);
    const managed = { name, pid: child.pid, child, logPath };
    child.on('exit', (code, signal) => {
      if (!this.stopping) this.deaths.push(`${name} exited (${signal ?? `code ${code}`}); see ${logPath}`);
    });
    this.processes.push(managed);
    return managed;
  }

  /** Adds a process started elsewhere (the load worker), so it stops with the others. */
  adopt(name: string, child: ChildProcess, logPath = ''): ManagedProcess {
    if (child.pid === undefined) throw new Error(`${name}: not started`);
    const managed = { name, pid: child.pid, child, logPath };
    child.on('exit', (code, signal) => {
      if (!this.stopping) this.deaths.push(`${name} exited (${signal ?? `code ${code}`})`);
    });
    this.processes.push(managed);
    return managed;
  }

  /** Throws when a child died on its own since the bench started it. */
  assertAlive(): void {
    if (this.deaths.length > 0) throw new Error(`a bench process died:\n- ${this.deaths.join('\n- ')}`);
  }

  /** SIGTERM to each child (they drain and close their pools), SIGKILL to any still there after a grace period. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      this.processes.map(async ({ child }) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }),
    );
  }
}

/** A loopback port free right now (the OS picks it; the child binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Polls `probe` until it resolves true, failing after `timeoutMs` or when the group lost a child. */
export async function waitFor(what: string, probe: () => Promise<boolean>, group: ProcessGroup, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    group.assertAlive();
    try {
      if (await probe()) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`${what} not ready after ${timeoutMs / 1000} s`);
}

/** True when `url` answers 2xx within two seconds. */
export async function answersOk(url: string, init?: RequestInit): Promise<boolean> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(2000) });
  await response.arrayBuffer();
  return response.ok;
}
