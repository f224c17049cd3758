import { buildSchema, GraphQLError, parse, validate, type OperationDefinitionNode } from 'graphql';
import { costLimitRule, estimateCost } from './cost';
import { keepRefusalCode } from './refusals';

const schema = buildSchema(`
  scalar _Any
  union _Entity = Dossier | User
  type Query { dossiers(first: Int = 20): DossierConnection! tags: [String!]! me: User! _entities(representations: [_Any!]!): [_Entity]! }
  type DossierConnection { nodes: [Dossier!]! totalCount: Int! }
  type Dossier { id: ID! history: [Change!]! }
  type Change { status: String! }
  type User { id: ID! }
`);

/** The cost the rule reports, by refusing everything above 0. */
function costOf(query: string): number {
  const [error] = validate(schema, parse(query), [costLimitRule({ maxCost: 0, defaultListSize: 10, maxListSize: 100 })]);
  return Number(error?.extensions.cost);
}

describe('costLimitRule', () => {
  it('counts each field once per time it may be resolved, lists sized by `first`', () => {
    // dossiers + nodes + 5 × (id + history) + 5 × 10 × status
    expect(costOf('{ dossiers(first: 5) { nodes { id history { status } } } }')).toBe(2 + 10 + 50);
  });

  it("takes the argument's schema default when `first` is left out, the largest page for a variable", () => {
    expect(costOf('{ dossiers { nodes { id } } }')).toBe(2 + 20);
    expect(costOf('query($n: Int) { dossiers(first: $n) { nodes { id } } }')).toBe(2 + 100);
  });

  it('with the variables known (a subgraph, per request): `first` as given, `_entities` once per representation sent', () => {
    const costWith = (query: string, variables: Record<string, unknown>) => {
      const document = parse(query);
      const operation = document.definitions[0] as OperationDefinitionNode;
      return estimateCost(operation, { schema, fragment: () => undefined, variables }, { maxCost: 0, defaultListSize: 10, maxListSize: 100 });
    };
    const dossiers = 'query($n: Int) { dossiers(first: $n) { nodes { id } } }';
    expect(costWith(dossiers, { n: 3 })).toBe(2 + 3);
    expect(costWith(dossiers, {})).toBe(2 + 20);
    expect(costWith(dossiers, { n: 5000 })).toBe(2 + 100);
    const entities = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Dossier { id history { status } } } }';
    const representations = (n: number) => Array.from({ length: n }, (_, i) => ({ __typename: 'Dossier', id: String(i) }));
    // _entities + n × (id + history + 10 × status), above the largest page too.
    expect(costWith(entities, { r: representations(2) })).toBe(1 + 2 * 12);
    expect(costWith(entities, { r: representations(1000) })).toBe(1 + 1000 * 12);
  });

  it('counts fragments where they are spread, and not introspection', () => {
    expect(costOf('{ me { ...U } __schema { types { name } } } fragment U on User { id }')).toBe(2);
    expect(costOf('{ me { ... on User { id } } tags }')).toBe(3);
  });
});

describe('keepRefusalCode', () => {
  it("keeps a refusal's own code where Apollo put GRAPHQL_VALIDATION_FAILED", () => {
    const [error] = validate(schema, parse('{ dossiers(first: 100) { nodes { id } } }'), [
      costLimitRule({ maxCost: 5, defaultListSize: 10, maxListSize: 100 }),
    ]);
    // As Apollo's ValidationError does: a new error, code overwritten, the rule's as originalError.
    const wrapped = new GraphQLError('wrapped', { originalError: error, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    const formatted = keepRefusalCode({ message: 'x', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }, wrapped);
    expect(formatted.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: 102, limit: 5 });
    expect(formatted.message).toMatch(/trop coûteuse/);
  });

  it('turns graphql-js token limit into TOO_MANY_TOKENS, in French', () => {
    const formatted = keepRefusalCode(
      { message: 'Syntax Error: Document contains more that 50 tokens. Parsing aborted.', extensions: { code: 'GRAPHQL_PARSE_FAILED' } },
      undefined,
    );
    expect(formatted).toEqual({ message: expect.stringMatching(/plus de 50 jetons/), extensions: { code: 'TOO_MANY_TOKENS', limit: 50 } });
  });
});
