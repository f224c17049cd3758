/**
 * `npm run compose` writes the supergraph composed from supergraph.yaml; `npm run compose:check`
 * fails when the committed supergraph differs from what the subgraph schemas compose to.
 *
 * usage: cli.ts write|check [--config supergraph.yaml] [--out supergraph.graphql]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { composeSubgraphs, readSubgraphSources } from './compose';

function main(): number {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { config: { type: 'string', default: 'supergraph.yaml' }, out: { type: 'string' } },
  });
  const mode = positionals[0];
  if (mode !== 'write' && mode !== 'check') {
    console.error('usage: compose write|check [--config supergraph.yaml] [--out supergraph.graphql]');
    return 2;
  }
  const configPath = path.resolve(values.config);
  const outPath = path.resolve(values.out ?? path.join(path.dirname(configPath), 'supergraph.graphql'));

  const outcome = composeSubgraphs(readSubgraphSources(configPath));
  if (!outcome.ok) {
    console.error(`Composition failed (${outcome.errors.length} error(s)):`);
    for (const error of outcome.errors) console.error(`  ✗ ${error}`);
    return 1;
  }
  for (const hint of outcome.hints) console.warn(`  hint: ${hint}`);

  if (mode === 'write') {
    writeFileSync(outPath, outcome.supergraphSdl);
    console.log(`Supergraph written to ${path.relative(process.cwd(), outPath)}`);
    return 0;
  }
  let committed = '';
  try {
    committed = readFileSync(outPath, 'utf8');
  } catch {
    console.error(`${outPath} is missing: run \`npm run compose\` and commit it.`);
    return 1;
  }
  if (committed !== outcome.supergraphSdl) {
    console.error(
      `${path.relative(process.cwd(), outPath)} is stale: the subgraph schemas compose to something else. ` +
        'Run `npm run compose` and commit the result.',
    );
    return 1;
  }
  console.log('Supergraph is up to date with the subgraph schemas.');
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
