import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import type { LoadJob, LoadResult, WorkerMessage } from './load-types';
import { REPOSITORY_ROOT, type ProcessGroup } from './processes';

/** The orchestrator's handle on the load worker process: one job at a time, over IPC. */
export class LoadWorker {
  private nextId = 1;
  private pending?: { id: number; resolve: (result: LoadResult) => void; reject: (error: Error) => void };

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready' || !this.pending) return;
      const { resolve, reject } = this.pending;
      this.pending = undefined;
      if (message.type === 'result') resolve(message.result);
      else reject(new Error(`load worker: ${message.message}`));
    });
    child.on('exit', (code, signal) => {
      this.pending?.reject(new Error(`load worker exited (${signal ?? `code ${code}`})`));
      this.pending = undefined;
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Starts the worker and waits until it can take jobs. */
  static async start(group: ProcessGroup, logDirectory: string): Promise<LoadWorker> {
    const log = openSync(path.join(logDirectory, 'load-worker.log'), 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'load-worker.ts')], {
      cwd: REPOSITORY_ROOT,
      stdio: ['ignore', log, log, 'ipc'],
      // Structured clone: tokens and items cross without a JSON round trip.
      serialization: 'advanced',
    });
    closeSync(log);
    group.adopt('load-worker', child);
    await new Promise<void>((resolve, reject) => {
      const onMessage = (message: WorkerMessage) => {
        if (message.type !== 'ready') return;
        child.off('message', onMessage);
        resolve();
      };
      child.on('message', onMessage);
      child.once('exit', () => reject(new Error('load worker exited before it was ready')));
    });
    return new LoadWorker(child);
  }

  run(job: Omit<LoadJob, 'id'>): Promise<LoadResult> {
    if (this.pending) throw new Error('load worker busy');
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending = { id, resolve, reject };
      this.child.send({ ...job, id });
    });
  }
}
