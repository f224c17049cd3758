/**
 * `npm run lint:schema`: lints the API schema the subgraph schemas compose to now (not the
 * committed one), with @graphql-eslint's schema rules and the project's own (`schema-lint.ts`).
 * Prints one line per violation — rule, coordinate, message — and exits 1 when there is any.
 *
 * usage: lint-cli.ts [--config supergraph.yaml] [--schema <API schema or supergraph SDL>]
 *                    [--plain-lists schema-lint.plain-lists.json]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { apiSchemaOf } from './api-schema';
import { composeSubgraphs, readSubgraphSources } from './compose';
import { lintApiSchema, PLAIN_LISTS_FILE, readPlainLists } from './schema-lint';

function main(): number {
  const { values } = parseArgs({
    options: {
      config: { type: 'string', default: 'supergraph.yaml' },
      schema: { type: 'string' },
      'plain-lists': { type: 'string' },
    },
  });
  const configPath = path.resolve(values.config);
  const plainListsPath = path.resolve(values['plain-lists'] ?? path.join(path.dirname(configPath), PLAIN_LISTS_FILE));
  const shown = (file: string) => path.relative(process.cwd(), file);

  let schemaSdl: string;
  let source: string;
  if (values.schema) {
    schemaSdl = readFileSync(values.schema, 'utf8');
    source = shown(path.resolve(values.schema));
  } else {
    const outcome = composeSubgraphs(readSubgraphSources(configPath));
    if (!outcome.ok) {
      console.error(`Composition failed (${outcome.errors.length} error(s)):`);
      for (const error of outcome.errors) console.error(`  ✗ ${error}`);
      return 1;
    }
    schemaSdl = outcome.supergraphSdl;
    source = `the subgraphs of ${shown(configPath)}`;
  }
  // A supergraph is linted as what clients see of it; an API schema as it is.
  const schema = schemaSdl.includes('join__Graph') ? apiSchemaOf(schemaSdl) : schemaSdl;
  const violations = lintApiSchema(schema, { plainLists: readPlainLists(plainListsPath) });
  if (violations.length === 0) {
    console.log(`Schema lint: the API schema of ${source} follows every rule.`);
    return 0;
  }

  const ruleWidth = Math.max(...violations.map((violation) => violation.rule.length));
  const coordinateWidth = Math.min(60, Math.max(...violations.map((violation) => violation.coordinate.length)));
  for (const { rule, coordinate, message } of violations) {
    console.error(`  ✗ ${rule.padEnd(ruleWidth)}  ${coordinate.padEnd(coordinateWidth)}  ${message}`);
  }
  const byRule = new Map<string, number>();
  for (const { rule } of violations) byRule.set(rule, (byRule.get(rule) ?? 0) + 1);
  console.error(
    `\nSchema lint: ${violations.length} violation(s) in the API schema of ${source} — ` +
      [...byRule].sort(([a], [b]) => a.localeCompare(b)).map(([rule, count]) => `${rule} ${count}`).join(', '),
  );
  console.error('The rules: README, « Schema lint »; the conventions: ../shared/api-conventions.md.');
  return 1;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
