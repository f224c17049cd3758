// `npm run bench:data [-- --seed N --scale F]`: the benchmark's data set, loaded into PostgreSQL.
import { parseArgs } from 'node:util';
import { DEFAULT_DATABASE_URL, DEFAULT_MANIFEST_PATH, DEFAULT_SEED, generateBenchData } from './generate';

const USAGE = `Usage: npm run bench:data -- [--seed <integer>] [--scale <factor>] [--manifest <file>]

Drops and recreates pgamr_bench_{identity,services,mandates,road_aid} on the server of
BENCH_DATABASE_URL (default ${DEFAULT_DATABASE_URL}), builds them with the subgraphs'
migrations and demo seeds, loads a deterministic Québec-scale data set and writes the manifest.

  --seed <integer>   same seed, same data, ids included (default ${DEFAULT_SEED})
  --scale <factor>   fraction of the full set: 1 = 1,100 municipalities, 30,000 users,
                     60,000 dossiers, 25,000 mandates (default 1; 0.05 for a quick one)
  --manifest <file>  where to write the manifest (default ${DEFAULT_MANIFEST_PATH})`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { seed: { type: 'string' }, scale: { type: 'string' }, manifest: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const manifest = await generateBenchData({
    url: process.env.BENCH_DATABASE_URL || DEFAULT_DATABASE_URL,
    seed: values.seed === undefined ? DEFAULT_SEED : Number(values.seed),
    scale: values.scale === undefined ? 1 : Number(values.scale),
    manifestPath: values.manifest ?? DEFAULT_MANIFEST_PATH,
    log: (line) => console.log(line),
  });
  console.log('\nRows per table (demo data included):');
  for (const [table, count] of Object.entries(manifest.counts)) console.log(`  ${table.padEnd(40)} ${String(count).padStart(9)}`);
  console.log('\nPersonas:');
  for (const [kind, list] of Object.entries(manifest.personas) as Array<[string, unknown[]]>) console.log(`  ${kind.padEnd(40)} ${String(list.length).padStart(9)}`);
  console.log(`\nSeed ${manifest.seed}, scale ${manifest.scale}, digest ${manifest.digest.slice(0, 16)}…`);
  console.log(`Loaded in ${(manifest.timingsMs.total! / 1000).toFixed(1)} s; manifest: ${values.manifest ?? DEFAULT_MANIFEST_PATH}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
