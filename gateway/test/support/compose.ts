import path from 'node:path';
import { composeCommand } from '../../src/compose/command';

/**
 * `npm run compose` (write) or `compose:check` (check) on the layout in `dir`, in this process:
 * what cli.ts runs, without a process of its own per call. Its exit code, and what it printed.
 */
export async function compose(mode: 'write' | 'check', dir: string, ...options: string[]): Promise<{ status: number; output: string }> {
  const lines: string[] = [];
  const print = (line: string) => void lines.push(line);
  try {
    const status = await composeCommand([mode, '--config', path.join(dir, 'supergraph.yaml'), ...options], { log: print, warn: print, error: print });
    return { status, output: lines.join('\n') };
  } catch (error) {
    print(error instanceof Error ? error.message : String(error));
    return { status: 1, output: lines.join('\n') };
  }
}
