import { stableId } from '@pgamr/kit';
import { startTestSubgraph, startTestTokenIssuer, statementsDuring, type TestSubgraph, type TestTokenIssuer, execute } from '@pgamr/kit/testing';
import { SERVICE_ID } from '../src/policy';
import { RoadAidApplication, RoadAidApplicationStatus } from '../src/road-aid-application/road-aid-application.entity';
import { roadAidSubgraph } from '../src/server';

// Issue 7: the number of SQL statements an operation costs does not grow with the number of
// records listed or of representations in an `_entities` batch, and the decision point is asked
// once per request (R14). Each case runs with 10 and with 100 records, every field selected.

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const id = (kind: string, key: string | number) => stableId(kind, `n-plus-one:${key}`);

const SMALL_ORG = id('organization', 'small');
const LARGE_ORG = id('organization', 'large');
const smallApplications = range(10).map((i) => id('road-aid-application', `small-${i}`));
const largeApplications = range(100).map((i) => id('road-aid-application', `large-${i}`));
const APPLICATION = 'id fiscalYear roadSegmentName lengthKm requestedAmount status organization { id } createdAt';
const PAGE = 'totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';

let subgraph: TestSubgraph;
let issuer: TestTokenIssuer;
const headers: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  issuer = await startTestTokenIssuer();
  subgraph = await startTestSubgraph(roadAidSubgraph, { seedDemoData: false, jwksUrl: issuer.jwksUrl, rightsUrl: issuer.rightsUrl });
  for (const [name, organizationId] of [['small', SMALL_ORG], ['large', LARGE_ORG]] as const) {
    const userId = id('user', name);
    issuer.grant(userId, { serviceId: SERVICE_ID, organizationId, role: 'USER' });
    headers[name] = { authorization: `Bearer ${await issuer.mint({ userId, organizationId })}` };
  }
  await subgraph.database.orm.em.fork().insertMany(
    RoadAidApplication,
    [...smallApplications.map((key) => [key, SMALL_ORG] as const), ...largeApplications.map((key) => [key, LARGE_ORG] as const)].map(
      ([applicationId, organizationId], i) => ({
        id: applicationId,
        organizationId,
        fiscalYear: 2026,
        roadSegmentName: `Rang ${i}`,
        lengthKm: 1.5,
        requestedAmount: `${25_000 + i}.50`,
        status: i % 2 ? RoadAidApplicationStatus.Submitted : RoadAidApplicationStatus.Draft,
        createdBy: id('user', 'creator'),
        createdAt: new Date(),
      }),
    ),
  );
});

afterAll(async () => {
  await subgraph?.close();
  await issuer?.close();
});

type Data = Record<string, any>;

/** Runs an operation: the statements and decision point calls it cost, and its answer. */
async function measure(as: string, query: string, variables: Record<string, unknown>) {
  const rightsBefore = issuer.rightsCalls();
  const { statements, result } = await statementsDuring(subgraph.origin, () => execute<Data>(subgraph.url, query, variables, headers[as]));
  expect(result.errors).toBeUndefined();
  return { statements, rightsCalls: issuer.rightsCalls() - rightsBefore, data: result.data! };
}

describe('road-aid subgraph: as many SQL statements for 100 records as for 10 (issue 7)', () => {
  it("R14, R20: an organization's applications, for its users holding PAVL: 10, then 100", async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization {
      roadAidApplications(first: 100) { nodes { ${APPLICATION} } edges { cursor node { id } } ${PAGE} } } } }`;
    const small = await measure('small', query, { r: [{ __typename: 'Organization', id: SMALL_ORG }] });
    const large = await measure('large', query, { r: [{ __typename: 'Organization', id: LARGE_ORG }] });
    expect([small.data._entities[0].roadAidApplications.nodes.length, large.data._entities[0].roadAidApplications.nodes.length]).toEqual([10, 100]);
    expect(large.data._entities[0].roadAidApplications.totalCount).toBe(100);
    expect(large.statements).toBe(small.statements);
    expect([small.rightsCalls, large.rightsCalls]).toEqual([1, 1]);
  });

  it('R14, R20: a batch of 10, then 100 applications, each checked against the one answer of the decision point', async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on RoadAidApplication { ${APPLICATION} } } }`;
    const batch = (n: number) => ({ r: largeApplications.slice(0, n).map((key) => ({ __typename: 'RoadAidApplication', id: key })) });
    const small = await measure('large', query, batch(10));
    const large = await measure('large', query, batch(100));
    const found = (data: Data) => (data._entities as Array<Data | null>).filter((application) => application?.roadSegmentName).length;
    expect([found(small.data), found(large.data)]).toEqual([10, 100]);
    expect(large.statements).toBe(small.statements);
    expect([small.rightsCalls, large.rightsCalls]).toEqual([1, 1]);
  });
});
