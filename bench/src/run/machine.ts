import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPOSITORY_ROOT } from './processes';

export interface MachineInfo {
  cpuModel: string;
  cpuCount: number;
  memoryGiB: number;
  kernel: string;
  node: string;
  loadAverageAtStart: number[];
}

/** What ran the bench: results from different machines are not comparable. */
export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    loadAverageAtStart: os.loadavg().map((value) => Math.round(value * 100) / 100),
  };
}

const PACKAGES = [
  '@apollo/gateway',
  '@apollo/server',
  '@graphql-hive/gateway',
  '@graphql-hive/gateway-runtime',
  '@graphql-tools/delegate',
  '@graphql-tools/executor-http',
  'graphql',
  'autocannon',
  'undici',
];

/** Installed versions of what is compared, read from node_modules (not from the ranges in package.json). */
export function packageVersions(): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const name of PACKAGES) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(REPOSITORY_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
      versions[name] = manifest.version;
    } catch {
      versions[name] = 'not installed';
    }
  }
  return versions;
}

/** The commit measured, `-dirty` when the working tree differs from it. */
export function gitRevision(): string {
  try {
    const hash = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPOSITORY_ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: REPOSITORY_ROOT, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${hash}-dirty` : hash;
  } catch {
    return 'unknown';
  }
}
