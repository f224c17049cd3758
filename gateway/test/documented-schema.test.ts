import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { buildSchema } from 'graphql';
import { composeSubgraphs, readSubgraphSources } from '../src/compose/compose';
import { undocumentedElements } from '../src/compose/documentation';

const REPOSITORY = path.resolve(__dirname, '..', '..');

/** The API schema clients see, as the subgraphs' SDL composes it now, not as last committed. */
function composedApiSchema() {
  const outcome = composeSubgraphs(readSubgraphSources(path.join(REPOSITORY, 'supergraph.yaml')));
  if (!outcome.ok) throw new Error(outcome.errors.join('\n'));
  // The security features are enforced by the gateway itself; only the API shape matters here.
  return Supergraph.build(outcome.supergraphSdl, { supportedFeatures: null }).apiSchema().toGraphQLJSSchema();
}

describe('a documented schema', () => {
  it('describes every type, field, argument, input field and enum value of the composed API schema', () => {
    const undocumented = undocumentedElements(composedApiSchema());
    // Printed in full so that the failure says what to describe.
    expect(undocumented.join('\n')).toBe('');
  });

  it('reports every kind of undocumented element, a blank description included, and nothing built in', () => {
    const schema = buildSchema(`
      "Racine." type Query {
        "Documenté." ok(
          "Documenté." first: Int
          last: Int
        ): Status
        undocumented: String
        "   " blank: ID
      }
      "Documenté." enum Status { "Documenté." OPEN CLOSED }
      input Filter { "Documenté." status: Status  text: String }
      "Documenté." type Mutation { "Documenté." apply("Documenté." filter: Filter): Boolean }
      scalar DateTime
      "Documenté." union Result = Query
    `);
    expect(undocumentedElements(schema)).toEqual([
      'DateTime',
      'Filter',
      'Filter.text',
      'Query.blank',
      'Query.ok(last:)',
      'Query.undocumented',
      'Status.CLOSED',
    ]);
  });
});
