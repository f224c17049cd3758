// The compose command of cli.ts, callable in-process (the tests run it without a process of its own).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { API_SCHEMA_FILE, printApiSchema } from './api-schema';
import { ACCEPTED_CHANGES_FILE, compareSupergraphs, readAcceptedChanges } from './breaking-changes';
import { composeSubgraphs, readSubgraphSources } from './compose';

const USAGE =
  'usage: compose write|check [--config supergraph.yaml] [--out supergraph.graphql] [--schema-out schema.graphql] [--accepted schema-changes.accepted.json] [--base <supergraph>]';

/** What the command prints: the console, or a test's capture. */
export interface CommandOutput {
  log(line: string): void;
  warn(line: string): void;
  error(line: string): void;
}

/** The command with its arguments (after `cli.ts`); resolves to its exit code. Relative paths are read from the current directory. */
export async function composeCommand(args: string[], output: CommandOutput = console): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
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
    output.error(USAGE);
    return 2;
  }
  const configPath = path.resolve(values.config);
  const outPath = path.resolve(values.out ?? path.join(path.dirname(configPath), 'supergraph.graphql'));
  const schemaOutPath = path.resolve(values['schema-out'] ?? path.join(path.dirname(configPath), API_SCHEMA_FILE));
  const acceptedPath = path.resolve(values.accepted ?? path.join(path.dirname(configPath), ACCEPTED_CHANGES_FILE));
  const shown = (file: string) => path.relative(process.cwd(), file);

  const outcome = composeSubgraphs(readSubgraphSources(configPath));
  if (!outcome.ok) {
    output.error(`Composition failed (${outcome.errors.length} error(s)):`);
    for (const error of outcome.errors) output.error(`  ✗ ${error}`);
    return 1;
  }
  for (const hint of outcome.hints) output.warn(`  hint: ${hint}`);

  const committed = existsSync(outPath) ? readFileSync(outPath, 'utf8') : undefined;
  const basePath = values.base === undefined ? outPath : path.resolve(values.base);
  const base = values.base === undefined ? committed : readFileSync(basePath, 'utf8');
  if (base !== undefined && base !== outcome.supergraphSdl) {
    const acceptedChanges = readAcceptedChanges(acceptedPath);
    const report = await compareSupergraphs(base, outcome.supergraphSdl, acceptedChanges);
    for (const change of report.dangerous) output.warn(`  dangerous: ${change.message}`);
    for (const change of report.accepted) output.warn(`  breaking, accepted in ${shown(acceptedPath)}: ${change.message}`);
    if (report.unaccepted.length > 0) {
      output.error(`${report.unaccepted.length} breaking change(s) of the API schema against ${shown(basePath)}:`);
      for (const change of report.unaccepted) output.error(`  ✗ ${change.message}${change.path ? ` (${change.path})` : ''}`);
      output.error(
        `Clients already deployed would break. Restore what they use (deprecate it first), or accept each change ` +
          `in ${shown(acceptedPath)}: [{ "change": "<message or path above>", "reason": "…", "acceptedBy": "…" }].`,
      );
      if (mode === 'write') output.error(`${shown(outPath)} was left unchanged.`);
      return 1;
    }
  }

  const apiSchema = printApiSchema(outcome.supergraphSdl);
  if (mode === 'write') {
    writeFileSync(outPath, outcome.supergraphSdl);
    writeFileSync(schemaOutPath, apiSchema);
    output.log(`Supergraph written to ${shown(outPath)}, its API schema to ${shown(schemaOutPath)}`);
    return 0;
  }
  if (committed === undefined) {
    output.error(`${outPath} is missing: run \`npm run compose\` and commit it.`);
    return 1;
  }
  if (committed !== outcome.supergraphSdl) {
    output.error(
      `${shown(outPath)} is stale: the subgraph schemas compose to something else. ` +
        'Run `npm run compose` and commit the result.',
    );
    return 1;
  }
  const committedApiSchema = existsSync(schemaOutPath) ? readFileSync(schemaOutPath, 'utf8') : undefined;
  if (committedApiSchema !== apiSchema) {
    output.error(
      `${shown(schemaOutPath)} is ${committedApiSchema === undefined ? 'missing' : 'stale'}: it is not the API schema of the supergraph. ` +
        'Run `npm run compose` and commit the result.',
    );
    return 1;
  }
  output.log('Supergraph and API schema are up to date with the subgraph schemas.');
  return 0;
}
