import { ApolloGateway } from '@apollo/gateway';
import { costLimitRule, GATEWAY_LIMITS } from '@pgamr/kit/limits';
import { parse, validate, type GraphQLSchema } from 'graphql';
import { composeSubgraphs } from '../compose/compose';
import { readCostDirectivesOfSupergraphs } from './cost-directives';

// Another ministry's subgraph, annotated as Apollo Router and Hive Gateway read it: the cost spec
// linked on its own, and a second subgraph importing the directives through federation v2.9.
const REPORTS = `
  extend schema
    @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
    @link(url: "https://specs.apollo.dev/cost/v0.1", import: ["@cost", "@listSize"])

  type Query {
    reports(first: Int = 20, after: String): ReportConnection! @listSize(slicingArguments: ["first"], sizedFields: ["nodes", "edges"], requireOneSlicingArgument: false)
    search(text: String! @cost(weight: 20)): [Report!]! @listSize(assumedSize: 5)
    feed: [Entry!]!
  }
  type ReportConnection { nodes: [Report!]! edges: [ReportEdge!]! totalCount: Int! @cost(weight: 10) }
  type ReportEdge { cursor: String! node: Report! }
  type Report @key(fields: "id") @cost(weight: 2) { id: ID! pdf: String! @cost(weight: 3) sections: [Section!]! }
  type Section { title: String! paragraphs: [Paragraph!]! }
  type Paragraph { text: String! }
  union Entry = Report | Notice
  type Notice { text: String! }
`;
const ARCHIVES = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@cost", "@listSize"])

  type Report @key(fields: "id") {
    id: ID!
    scans: [String!]! @listSize(assumedSize: 40) @cost(weight: 1)
  }
`;

let gateway: ApolloGateway;
let apiSchema: GraphQLSchema;

beforeAll(async () => {
  const composed = composeSubgraphs([
    { name: 'reports', routingUrl: 'http://127.0.0.1:1/graphql', schemaFile: 'reports.graphql', sdl: REPORTS },
    { name: 'archives', routingUrl: 'http://127.0.0.1:2/graphql', schemaFile: 'archives.graphql', sdl: ARCHIVES },
  ]);
  if (!composed.ok) throw new Error(composed.errors.join('\n'));
  gateway = new ApolloGateway({ supergraphSdl: composed.supergraphSdl });
  readCostDirectivesOfSupergraphs(gateway);
  apiSchema = (await gateway.load()).schema;
});

afterAll(async () => {
  await gateway?.stop();
});

/** The cost the gateway's rule reports, with its default list size, by refusing everything above 0. */
function costOf(query: string): number {
  const [error] = validate(apiSchema, parse(query), [costLimitRule({ ...GATEWAY_LIMITS, maxCost: 0 })]);
  return Number(error?.extensions.cost);
}

describe('the gateway costs operations with the @cost and @listSize of its supergraph', () => {
  it('the supergraph keeps the directives (cost/v0.1 linked), the API schema does not', () => {
    expect(gateway.__testing().supergraphSdl).toMatch(/@link\(url: "https:\/\/specs\.apollo\.dev\/cost\/v0\.1"/);
    expect(apiSchema.getType('Report')?.astNode?.directives ?? []).toEqual([]);
  });

  it('weights of fields, types and arguments; sizedFields sized by the slicing argument', () => {
    // reports (the connection, 1) + totalCount 10 + 4 nodes × (Report 2 + pdf 3 + 40 scans × 1)
    expect(costOf('{ reports(first: 4) { totalCount nodes { id pdf scans } } }')).toBe(1 + 10 + 4 * (2 + 3 + 40));
    // `first` left out: its default, 20.
    expect(costOf('{ reports { edges { node { id } } } }')).toBe(1 + 20 * (1 + 2));
    // text: 20; an assumed 5 reports.
    expect(costOf('{ search(text: "pont") { id } }')).toBe(20 + 5 * 2);
  });

  it('lists without @listSize: the default size, 20 for each of three nested lists, and the operation passes', () => {
    const cost = costOf('{ feed { ... on Report { sections { title paragraphs { text } } } } }');
    expect(cost).toBe(20 * (1 + 20 * (1 + 20 * 1)));
    expect(cost).toBeLessThanOrEqual(GATEWAY_LIMITS.maxCost);
  });

  it('fragments on types that exclude each other: the most costly, not the sum', () => {
    // Each entry is a Report (pdf: 3) or a Notice (text: 0), never both.
    expect(costOf('{ feed { ... on Report { pdf } ... on Notice { text } } }')).toBe(20 * (1 + 3));
  });
});
