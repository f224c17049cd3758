import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { CONSTRAINT_DIRECTIVE, CONSTRAINT_DIRECTIVE_SDL, describeTextInputs, type TextInput } from '@pgamr/kit/input';
import { buildSchema, isInputObjectType, isInterfaceType, isObjectType, Kind, parse, print, type GraphQLSchema } from 'graphql';
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

/** The description of `Type.field(argument:)` or `Input.field` in the schema. */
function descriptionOf(schema: GraphQLSchema, coordinate: string): string | undefined {
  const [, typeName, fieldName, argumentName] = /^(\w+)\.(\w+)(?:\((\w+):\))?$/.exec(coordinate) ?? [];
  const type = schema.getType(typeName ?? '');
  if (isInputObjectType(type)) return type.getFields()[fieldName ?? '']?.description ?? undefined;
  if (!isObjectType(type) && !isInterfaceType(type)) return undefined;
  const field = type.getFields()[fieldName ?? ''];
  return (argumentName ? field?.args.find((arg) => arg.name === argumentName) : field)?.description ?? undefined;
}

/** What a text input's description must say of its rule, as a pattern. */
function statedRule({ rule }: TextInput): RegExp {
  if (rule.format === 'date') return /AAAA-MM-JJ/;
  if (rule.format === 'date-time') return /ISO 8601 avec son fuseau horaire/;
  // « au plus 1 000 caractères », « de 3 à 300 caractères »; thousands grouped or not.
  const digits = String(rule.maxLength).replace(/\B(?=(\d{3})+$)/g, '[\\s\u00a0\u202f]?');
  return new RegExp(`(au plus|à) ${digits} caractères`);
}

describe('text inputs: the limits the subgraphs enforce are the ones their descriptions state', () => {
  const sources = readSubgraphSources(path.join(REPOSITORY, 'supergraph.yaml'));
  const api = composedApiSchema();

  it.each(sources.map((source) => [source.name, source]))('%s: every String argument and input field states its limit or format', (_name, source) => {
    const inputs = describeTextInputs(buildSubgraphSchema(parse(source.sdl)));
    // IDs are identifiers the API issued, all held to one limit (README, Input validation).
    const unstated = inputs
      .filter((input) => input.type === 'String')
      .filter((input) => !statedRule(input).test(descriptionOf(api, input.coordinate) ?? ''))
      .map((input) => `${input.coordinate}: ${statedRule(input).source}`);
    expect(unstated.join('\n')).toBe('');
  });

  it.each(sources.map((source) => [source.name, source]))('%s: declares @constraint exactly as the kit reads it, if at all', (_name, source) => {
    const definition = parse(source.sdl).definitions.find(
      (node) => node.kind === Kind.DIRECTIVE_DEFINITION && node.name.value === CONSTRAINT_DIRECTIVE,
    );
    if (definition) expect(print(definition)).toBe(CONSTRAINT_DIRECTIVE_SDL);
  });
});

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
