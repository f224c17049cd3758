/**
 * `npm run codegen:check` (`check`): fails, naming them, when a subgraph's committed resolver types
 * are not what its schema.graphql generates. `write [subgraph folder…]` (re)writes those of the
 * folders named (the scaffold, for a new subgraph), or of every subgraph (`npm run codegen`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GENERATED_FILE, generateResolverTypes, staleResolverTypes, subgraphDirs } from './resolver-types';

const ROOT = path.resolve(__dirname, '..', '..');

async function main([command, ...folders]: string[]): Promise<number> {
  if (command === 'check') {
    const stale = await staleResolverTypes(ROOT);
    for (const { file } of stale) console.error(`${file} is stale: run npm run codegen and commit it`);
    if (stale.length === 0) console.log('resolver types are up to date with every subgraph\'s schema.graphql');
    return stale.length === 0 ? 0 : 1;
  }
  if (command === 'write') {
    for (const dir of folders.length > 0 ? folders.map((folder) => path.resolve(ROOT, folder)) : subgraphDirs(ROOT)) {
      const file = path.join(dir, GENERATED_FILE);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, await generateResolverTypes(dir));
      console.log(`wrote ${path.relative(ROOT, file)}`);
    }
    return 0;
  }
  console.error('usage: tsx scripts/codegen/cli.ts check | write [subgraph folder…]');
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
