import { buildSchema, GraphQLError, parse, validate, type OperationDefinitionNode } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
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
  it('counts each object a field may return, lists once per element sized by `first`; scalars are free', () => {
    // dossiers + 5 nodes × (1 + 10 history entries)
    expect(costOf('{ dossiers(first: 5) { nodes { id history { status } } } }')).toBe(1 + 5 * (1 + 10));
  });

  it("takes the argument's schema default when `first` is left out, the largest page for a variable", () => {
    expect(costOf('{ dossiers { nodes { id } } }')).toBe(1 + 20);
    expect(costOf('query($n: Int) { dossiers(first: $n) { nodes { id } } }')).toBe(1 + 100);
  });

  it('with the variables known (a subgraph, per request): `first` as given, `_entities` once per representation sent', () => {
    const costWith = (query: string, variables: Record<string, unknown>) => {
      const document = parse(query);
      const operation = document.definitions[0] as OperationDefinitionNode;
      return estimateCost(operation, { schema, fragment: () => undefined, variables }, { maxCost: 0, defaultListSize: 10, maxListSize: 100 });
    };
    const dossiers = 'query($n: Int) { dossiers(first: $n) { nodes { id } } }';
    expect(costWith(dossiers, { n: 3 })).toBe(1 + 3);
    expect(costWith(dossiers, {})).toBe(1 + 20);
    expect(costWith(dossiers, { n: 5000 })).toBe(1 + 100);
    // A variable left out takes its default in the operation, not the schema's.
    expect(costWith('query($n: Int = 50) { dossiers(first: $n) { nodes { id } } }', {})).toBe(1 + 50);
    const entities = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Dossier { id history { status } } } }';
    const representations = (n: number) => Array.from({ length: n }, (_, i) => ({ __typename: 'Dossier', id: String(i) }));
    // n × (the dossier + 10 history entries), above the largest page too.
    expect(costWith(entities, { r: representations(2) })).toBe(2 * 11);
    expect(costWith(entities, { r: representations(1000) })).toBe(1000 * 11);
  });

  it('counts fragments where they are spread, and not introspection', () => {
    expect(costOf('{ me { ...U } __schema { types { name } } } fragment U on User { id }')).toBe(1);
    expect(costOf('{ me { ... on User { id } } dossiers(first: 2) { ...D } } fragment D on DossierConnection { nodes { id } }')).toBe(1 + 1 + 2);
  });

  it('does not count what `@skip(if: true)` or `@include(if: false)` leaves out', () => {
    expect(costOf('{ me { id } dossiers(first: 2) @skip(if: true) { nodes { id } } }')).toBe(1);
    expect(costOf('{ me { id } ... @include(if: false) { dossiers(first: 2) { nodes { id } } } }')).toBe(1);
    // Unknown to the gateway's rule: counted.
    expect(costOf('query($s: Boolean!) { me { id } dossiers(first: 2) @skip(if: $s) { nodes { id } } }')).toBe(1 + 3);
  });
});

describe('the cost directives (@cost, @listSize), read from the schema it is given', () => {
  const annotated = buildSchema(`
    directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
    directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
    type Query {
      reports(first: Int, last: Int, filter: ReportFilter): ReportConnection! @listSize(slicingArguments: ["first", "last"], sizedFields: ["nodes", "edges"])
      sectors: [Sector!]! @listSize(assumedSize: 3)
      search(text: String @cost(weight: 4)): [Report!]! @listSize(assumedSize: 5)
      summary: Summary! @cost(weight: 50)
      feed: [Entry!]!
    }
    input ReportFilter { fullText: String @cost(weight: 7) year: Int }
    type ReportConnection { nodes: [Report!]! edges: [ReportEdge!]! totalCount: Int! @cost(weight: 10) }
    type ReportEdge { cursor: String! node: Report! }
    type Report @cost(weight: 2) { id: ID! pdf: String! @cost(weight: 3) }
    type Sector { name: String! @cost(weight: 1) }
    type Summary { total: Int! }
    union Entry = Report | Sector
  `);
  const costOfAnnotated = (query: string) => {
    const [error] = validate(annotated, parse(query), [costLimitRule({ maxCost: 0, defaultListSize: 10, maxListSize: 100 })]);
    return { cost: Number(error?.extensions.cost), message: error?.message };
  };

  it('weights: @cost on a field, on a type, on an argument and on an input field given', () => {
    // A Report weighs 2, its pdf 3, the connection's totalCount 10; the summary 50 for itself.
    expect(costOfAnnotated('{ reports(first: 4) { totalCount nodes { id pdf } } summary { total } }').cost).toBe(1 + 10 + 4 * (2 + 3) + 50);
    // `search(text:)` weighs 4 when given; `filter: { fullText }` 7.
    expect(costOfAnnotated('{ search(text: "pont") { id } }').cost).toBe(4 + 5 * 2);
    expect(costOfAnnotated('{ reports(first: 1, filter: { fullText: "pont" }) { nodes { id } } }').cost).toBe(7 + 1 + 2);
  });

  it('list sizes: assumedSize, the largest slicing argument for the sizedFields, exactly one slicing argument required', () => {
    expect(costOfAnnotated('{ sectors { name } }').cost).toBe(3 * (1 + 1));
    // The slicing argument sizes `nodes` and `edges`, not the connection.
    expect(costOfAnnotated('{ reports(last: 6) { edges { node { id } } } }').cost).toBe(1 + 6 * (1 + 2));
    const unsized = costOfAnnotated('{ reports { nodes { id } } }');
    expect(unsized.message).toMatch(/champ Query\.reports exige exactement un des arguments first, last/);
    expect(costOfAnnotated('{ reports(first: 2, last: 3) { nodes { id } } }').message).toMatch(/exactement un/);
    // A subgraph estimates it (the default size) rather than refuse what its gateway may have accepted.
    const operation = parse('{ reports { nodes { id } } }').definitions[0] as OperationDefinitionNode;
    expect(estimateCost(operation, { schema: annotated, fragment: () => undefined, variables: {} }, { maxCost: 0, defaultListSize: 10, maxListSize: 100 })).toBe(1 + 10 * 2);
  });

  it('fragments on object types that exclude each other: the most costly counts, not their sum', () => {
    // 10 entries (no @listSize: the default size), each one object of the union, then a Report's
    // pdf (3) or a Sector's name (1): 3, where the sum would be 4.
    expect(costOfAnnotated('{ feed { ... on Report { id pdf } ... on Sector { name } } }').cost).toBe(10 * (1 + 3));
    expect(costOfAnnotated('{ feed { __typename ...R ... on Sector { name } } } fragment R on Report { pdf }').cost).toBe(10 * (1 + 3));
  });
});

describe('a subgraph reads the directives from its own SDL', () => {
  it('imported through federation v2.9 or renamed by cost/v0.1, per representation of `_entities`', () => {
    const subgraph = (link: string, cost: string, listSize: string) =>
      buildSubgraphSchema({
        typeDefs: parse(`
          extend schema ${link}
          type Query { report(id: ID!): Report }
          type Report @key(fields: "id") { id: ID! pages: [Page!]! @${listSize}(assumedSize: 30) pdf: String! @${cost}(weight: 8) }
          type Page { text: String! }
        `),
      });
    const query = parse('query($r: [_Any!]!) { _entities(representations: $r) { ... on Report { pdf pages { text } } } }');
    const operation = query.definitions[0] as OperationDefinitionNode;
    const representations = [{ __typename: 'Report', id: '1' }, { __typename: 'Report', id: '2' }];
    const schemas = [
      subgraph('@link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@cost", "@listSize"])', 'cost', 'listSize'),
      subgraph('@link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"]) @link(url: "https://specs.apollo.dev/cost/v0.1", as: "demand")', 'demand', 'demand__listSize'),
    ];
    for (const built of schemas) {
      const inputs = { schema: built, fragment: () => undefined, variables: { r: representations } };
      // 2 reports × (1 + pdf 8 + 30 pages)
      expect(estimateCost(operation, inputs, { maxCost: 0, defaultListSize: 10, maxListSize: 100 })).toBe(2 * (1 + 8 + 30));
    }
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
    expect(formatted.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: 101, limit: 5 });
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
