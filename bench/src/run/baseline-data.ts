// Run by `--baseline` in the baseline's worktree (its tsx, its node_modules):
//   node --import tsx baseline-data.ts <root> <seed> <scale> <manifest> <database prefix>
// The baseline's own `generateBenchData`, so that its own migrations build the schemas and its
// own generator writes the rows in them, with the given seed and scale; only the names of its
// four databases change (`pgamr_bench_` becomes the prefix), so today's set stays as it is.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

interface DatabasesModule {
  DATABASE_NAMES: Record<string, string>;
}
interface GenerateModule {
  generateBenchData: (options: { url: string; seed: number; scale: number; manifestPath: string; log: (line: string) => void }) => Promise<{ digest?: string }>;
}

/** A CommonJS module seen from import(): its exports, or the same under `default`. */
async function load<T>(root: string, file: string): Promise<T> {
  const namespace = (await import(pathToFileURL(path.join(root, file)).href)) as Record<string, unknown>;
  return ('default' in namespace && namespace.default && typeof namespace.default === 'object' ? namespace.default : namespace) as T;
}

async function main(): Promise<void> {
  const [root, seed, scale, manifestPath, prefix] = process.argv.slice(2);
  if (!root || !seed || !scale || !manifestPath || !prefix || !/^[a-z0-9_]+$/.test(prefix)) {
    throw new Error('usage: baseline-data.ts <root> <seed> <scale> <manifest> <database prefix>');
  }
  // The generator reads the names from this object when it runs: the same module instance.
  const { DATABASE_NAMES } = await load<DatabasesModule>(root, 'bench/src/data/databases.ts');
  for (const [key, name] of Object.entries(DATABASE_NAMES)) {
    if (!name.startsWith('pgamr_bench_')) throw new Error(`unexpected bench database name ${name}`);
    DATABASE_NAMES[key] = `${prefix}${name.slice('pgamr_bench_'.length)}`;
  }
  const { generateBenchData } = await load<GenerateModule>(root, 'bench/src/data/generate.ts');
  const manifest = await generateBenchData({
    url: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    seed: Number(seed),
    scale: Number(scale),
    manifestPath,
    log: (line) => console.log(line),
  });
  console.log(`databases: ${Object.values(DATABASE_NAMES).join(', ')}; digest ${manifest.digest ?? '?'}; manifest ${manifestPath}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
