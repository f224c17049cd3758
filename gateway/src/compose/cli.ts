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
import { composeCommand } from './command';

composeCommand(process.argv.slice(2)).then(
  (exitCode) => {
    process.exitCode = exitCode;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
