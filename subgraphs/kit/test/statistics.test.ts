import type { Geography } from '../src/auth/directory-client';
import { geographyFor, geographyRecordset, groupedFigures, joinGeography, MAX_STATISTICS_GROUPS, MRC_DIMENSION, REGION_DIMENSION, statisticsIdFilter } from '../src/statistics';
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

describe("the Répertoire's geography joined into the figures (R5, issue 18)", () => {
  const [magog, sherbrooke, mrc, firm] = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333', '44444444-4444-4444-8444-444444444444'];
  const geography: Geography = new Map([
    [magog, { administrativeRegion: '05 Estrie', mrcId: mrc }],
    [sherbrooke, { administrativeRegion: '05 Estrie', mrcId: null }],
    [mrc, { administrativeRegion: '05 Estrie', mrcId: mrc }],
  ]);
  /** Records of the four organizations: Magog 3, Sherbrooke 2, the MRC 1, a firm outside the Répertoire 1. */
  const records = () =>
    subgraph.database.orm.em
      .fork()
      .getKnex()
      .fromRaw(`(values ('${magog}'::uuid), ('${magog}'::uuid), ('${magog}'::uuid), ('${sherbrooke}'::uuid), ('${sherbrooke}'::uuid), ('${mrc}'::uuid), ('${firm}'::uuid)) r(organization_id)`);

  it('carries each body’s region and MRC in its one JSON recordset, an MRC id that is no UUID as none', () => {
    const odd: Geography = new Map([...geography, ['55555555-5555-4555-8555-555555555555', { administrativeRegion: null, mrcId: 'not-a-uuid' }]]);
    expect(JSON.parse(geographyRecordset(odd))).toEqual([
      { organization_id: magog, region: '05 Estrie', mrc_id: mrc },
      { organization_id: sherbrooke, region: '05 Estrie', mrc_id: null },
      { organization_id: mrc, region: '05 Estrie', mrc_id: mrc },
      { organization_id: '55555555-5555-4555-8555-555555555555', region: null, mrc_id: null },
    ]);
  });

  it('groups by MRC and region in one statement: an MRC counts its own records, a body outside any MRC or the Répertoire in the null group', async () => {
    const em = subgraph.database.orm.em.fork();
    const source = records();
    joinGeography(source, 'r.organization_id', geography, {});
    const { groups, total } = await groupedFigures(em, source, [MRC_DIMENSION, REGION_DIMENSION], 'count(*)::int as "n"', []);
    expect(groups).toEqual([
      { mrcId: mrc, administrativeRegion: '05 Estrie', isTotal: false, n: 4 },
      { mrcId: null, administrativeRegion: '05 Estrie', isTotal: false, n: 2 },
      { mrcId: null, administrativeRegion: null, isTotal: false, n: 1 },
    ]);
    expect(total).toMatchObject({ n: 7 });
  });

  it('keeps the records of the MRC filter (ids that are no UUID match nothing), at most 100 ids', async () => {
    const em = subgraph.database.orm.em.fork();
    const source = records();
    joinGeography(source, 'r.organization_id', geography, { mrcIds: [mrc, 'not-a-uuid'] });
    expect((await groupedFigures(em, source, [], 'count(*)::int as "n"', [])).total).toMatchObject({ n: 4 });
    expect(() => joinGeography(records(), 'r.organization_id', geography, { mrcIds: Array.from({ length: 101 }, () => mrc) })).toThrow(/Au plus 100/);
  });

  it('asks identity only when the question needs the region or the MRC', async () => {
    let asked = 0;
    const directory = { geography: () => (asked++, Promise.resolve(geography)) } as unknown as Parameters<typeof geographyFor>[0];
    expect(geographyFor(directory, ['STATUS'], {})).toBeUndefined();
    expect(geographyFor(directory, ['STATUS'], { mrcIds: null, administrativeRegions: null })).toBeUndefined();
    expect(asked).toBe(0);
    await geographyFor(directory, ['MRC'], {});
    await geographyFor(directory, [], { mrcIds: [mrc] });
    await geographyFor(directory, ['ADMINISTRATIVE_REGION'], {});
    expect(asked).toBe(3);
  });
});
