import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SupergraphManager } from '@apollo/gateway';
import type { Logger } from 'pino';

type SupergraphSdlHookOptions = Parameters<SupergraphManager['initialize']>[0];

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Serves the supergraph from a file and reloads it when the file changes (written in place or
 * replaced by a rename). The gateway swaps schemas atomically, so requests in flight finish on
 * the schema they started with. A file that does not load (unreadable, invalid SDL, not a
 * supergraph) is logged and ignored: the last good supergraph keeps serving.
 */
export class FileSupergraphManager implements SupergraphManager {
  private watcher?: FSWatcher;
  private debounce?: NodeJS.Timeout;
  private currentHash = '';

  constructor(
    private readonly filePath: string,
    private readonly logger: Logger,
    private readonly debounceMs = 50,
  ) {}

  async initialize({ update }: SupergraphSdlHookOptions) {
    const supergraphSdl = await readFile(this.filePath, 'utf8');
    this.currentHash = sha256(supergraphSdl);
    // Watch the folder, not the file: editors and deploy tools replace files by renaming.
    this.watcher = watch(path.dirname(this.filePath), (_event, fileName) => {
      if (fileName !== path.basename(this.filePath)) return;
      clearTimeout(this.debounce);
      this.debounce = setTimeout(() => void this.reload(update), this.debounceMs);
    });
    return {
      supergraphSdl,
      cleanup: async () => {
        clearTimeout(this.debounce);
        this.watcher?.close();
      },
    };
  }

  private async reload(update: SupergraphSdlHookOptions['update']): Promise<void> {
    let supergraphSdl: string;
    try {
      supergraphSdl = await readFile(this.filePath, 'utf8');
    } catch (error) {
      this.logger.error({ err: error, file: this.filePath }, 'supergraph file unreadable; keeping the current schema');
      return;
    }
    const hash = sha256(supergraphSdl);
    if (hash === this.currentHash) return;
    try {
      update(supergraphSdl);
      this.currentHash = hash;
      this.logger.info({ file: this.filePath, hash }, 'supergraph reloaded');
    } catch (error) {
      this.logger.error(
        { reason: error instanceof Error ? error.message : String(error), file: this.filePath },
        'invalid supergraph ignored; keeping the current schema',
      );
    }
  }
}
