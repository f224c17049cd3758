import { groupedFigures, MAX_STATISTICS_GROUPS, statisticsIdFilter } from '../src/statistics';
import { startTestSubgraph, type TestSubgraph } from '../src/testing';
import { fixtureSubgraph } from './fixture-subgraph';

// The kit's figures query (issue 18) on a real database: groups and total in one statement, and its limits.
let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(fixtureSubgraph);
});

afterAll(async () => {
  await subgraph?.close();
});

/** `count` rows numbered from 1, each with its value modulo `groups`. */
const rows = (count: number, groups: number) => {
  const em = subgraph.database.orm.em.fork();
  return em.getKnex().fromRaw(`(select i, i % ${groups} as g from generate_series(1, ${count}) i) s`);
};

describe('groupedFigures', () => {
  it('answers the groups in order and their total in one statement', async () => {
    const em = subgraph.database.orm.em.fork();
    const { groups, total } = await groupedFigures(em, rows(10, 3), [{ sql: 's.g', field: 'g' }], 'count(*)::int as "n", sum(s.i)::int as "sum"', []);
    expect(groups).toEqual([
      { g: 0, isTotal: false, n: 3, sum: 18 },
      { g: 1, isTotal: false, n: 4, sum: 22 },
      { g: 2, isTotal: false, n: 3, sum: 15 },
    ]);
    expect(total).toMatchObject({ g: null, isTotal: true, n: 10, sum: 55 });
  });

  it('answers the total alone without dimensions, even over no row', async () => {
    const em = subgraph.database.orm.em.fork();
    const { groups, total } = await groupedFigures(em, rows(0, 3), [], 'count(*)::int as "n"', []);
    expect(groups).toEqual([]);
    expect(total).toMatchObject({ n: 0 });
  });

  it(`refuses more than ${MAX_STATISTICS_GROUPS} groups and a dimension asked twice, on groupBy`, async () => {
    const em = subgraph.database.orm.em.fork();
    const tooMany = groupedFigures(em, rows(MAX_STATISTICS_GROUPS + 1, MAX_STATISTICS_GROUPS + 1), [{ sql: 's.g', field: 'g' }], 'count(*)::int as "n"', []);
    await expect(tooMany).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'groupBy' } });
    const exactly = await groupedFigures(em, rows(MAX_STATISTICS_GROUPS, MAX_STATISTICS_GROUPS), [{ sql: 's.g', field: 'g' }], 'count(*)::int as "n"', []);
    expect(exactly.groups).toHaveLength(MAX_STATISTICS_GROUPS);
    const twice = groupedFigures(em, rows(3, 3), [{ sql: 's.g', field: 'g' }, { sql: 's.g', field: 'g' }], 'count(*)::int as "n"', []);
    await expect(twice).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'groupBy' } });
  });

  it("runs on connections without PostgreSQL's JIT, whose compile time exceeded the figures' own", async () => {
    const [setting] = await subgraph.database.orm.em.fork().getConnection().execute<Array<{ jit: string }>>("select current_setting('jit') as jit");
    expect(setting?.jit).toBe('off');
  });

  it('keeps at most 100 values of a filter list and drops ids that are no UUID', () => {
    expect(statisticsIdFilter(['not-a-uuid', '9b2f4c1e-2a6d-4e57-9c1a-3f0e8b7d6a51'], 'filter.ids')).toEqual(['9b2f4c1e-2a6d-4e57-9c1a-3f0e8b7d6a51']);
    expect(() => statisticsIdFilter(Array.from({ length: 101 }, () => 'x'), 'filter.ids')).toThrow(/Au plus 100/);
  });
});
