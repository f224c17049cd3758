/**
 * `npm run compose` writes the supergraph composed from supergraph.yaml, and its API schema (what
 * clients see, no federation machinery) to schema.graphql for front-end tools; `npm run
 * compose:check` fails when either committed file differs from what the subgraph schemas compose to.
 *
 * Both compare the API schema of the committed supergraph with the composed one first and refuse
 * breaking changes (a field removed or retyped, a new required argument…) that no entry of
 * schema-changes.accepted.json covers: clients already deployed would break.
 *
 * usage: cli.ts write|check [--config supergraph.yaml] [--out supergraph.graphql] [--schema-out schema.graphql]
 *                           [--accepted schema-changes.accepted.json] [--base <supergraph>]
 * `--base` compares with another supergraph than the committed one, e.g. main's in a merge request.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { API_SCHEMA_FILE, printApiSchema } from './api-schema';
import { ACCEPTED_CHANGES_FILE, compareSupergraphs, readAcceptedChanges } from './breaking-changes';
import { composeSubgraphs, readSubgraphSources } from './compose';

const USAGE =
  'usage: compose write|check [--config supergraph.yaml] [--out supergraph.graphql] [--schema-out schema.graphql] [--accepted schema-changes.accepted.json] [--base <supergraph>]';

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      config: { type: 'string', default: 'supergraph.yaml' },
      out: { type: 'string' },
      'schema-out': { type: 'string' },
      accepted: { type: 'string' },
      base: { type: 'string' },
    },
  });
  const mode = positionals[0];
  if (mode !== 'write' && mode !== 'check') {
    console.error(USAGE);
    return 2;
  }
  const configPath = path.resolve(values.config);
  const outPath = path.resolve(values.out ?? path.join(path.dirname(configPath), 'supergraph.graphql'));
  const schemaOutPath = path.resolve(values['schema-out'] ?? path.join(path.dirname(configPath), API_SCHEMA_FILE));
  const acceptedPath = path.resolve(values.accepted ?? path.join(path.dirname(configPath), ACCEPTED_CHANGES_FILE));
  const shown = (file: string) => path.relative(process.cwd(), file);

  const outcome = composeSubgraphs(readSubgraphSources(configPath));
  if (!outcome.ok) {
    console.error(`Composition failed (${outcome.errors.length} error(s)):`);
    for (const error of outcome.errors) console.error(`  ✗ ${error}`);
    return 1;
  }
  for (const hint of outcome.hints) console.warn(`  hint: ${hint}`);

  const committed = existsSync(outPath) ? readFileSync(outPath, 'utf8') : undefined;
  const basePath = values.base === undefined ? outPath : path.resolve(values.base);
  const base = values.base === undefined ? committed : readFileSync(basePath, 'utf8');
  if (base !== undefined && base !== outcome.supergraphSdl) {
    const acceptedChanges = readAcceptedChanges(acceptedPath);
    const report = await compareSupergraphs(base, outcome.supergraphSdl, acceptedChanges);
    for (const change of report.dangerous) console.warn(`  dangerous: ${change.message}`);
    for (const change of report.accepted) console.warn(`  breaking, accepted in ${shown(acceptedPath)}: ${change.message}`);
    if (report.unaccepted.length > 0) {
      console.error(`${report.unaccepted.length} breaking change(s) of the API schema against ${shown(basePath)}:`);
      for (const change of report.unaccepted) console.error(`  ✗ ${change.message}${change.path ? ` (${change.path})` : ''}`);
      console.error(
        `Clients already deployed would break. Restore what they use (deprecate it first), or accept each change ` +
          `in ${shown(acceptedPath)}: [{ "change": "<message or path above>", "reason": "…", "acceptedBy": "…" }].`,
      );
      if (mode === 'write') console.error(`${shown(outPath)} was left unchanged.`);
      return 1;
    }
  }

  const apiSchema = printApiSchema(outcome.supergraphSdl);
  if (mode === 'write') {
    writeFileSync(outPath, outcome.supergraphSdl);
    writeFileSync(schemaOutPath, apiSchema);
    console.log(`Supergraph written to ${shown(outPath)}, its API schema to ${shown(schemaOutPath)}`);
    return 0;
  }
  if (committed === undefined) {
    console.error(`${outPath} is missing: run \`npm run compose\` and commit it.`);
    return 1;
  }
  if (committed !== outcome.supergraphSdl) {
    console.error(
      `${shown(outPath)} is stale: the subgraph schemas compose to something else. ` +
        'Run `npm run compose` and commit the result.',
    );
    return 1;
  }
  const committedApiSchema = existsSync(schemaOutPath) ? readFileSync(schemaOutPath, 'utf8') : undefined;
  if (committedApiSchema !== apiSchema) {
    console.error(
      `${shown(schemaOutPath)} is ${committedApiSchema === undefined ? 'missing' : 'stale'}: it is not the API schema of the supergraph. ` +
        'Run `npm run compose` and commit the result.',
    );
    return 1;
  }
  console.log('Supergraph and API schema are up to date with the subgraph schemas.');
  return 0;
}

main().then(
  (exitCode) => {
    process.exitCode = exitCode;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
