import { stableId } from '@pgamr/kit';
import { statementsDuring } from '@pgamr/kit/testing';
import { execute } from './support/graphql';
import { bearer, signIn } from './support/session';
import { startStack, type Stack } from './support/stack';

// Issue 18: figures on the portal's users per kind of organization, through the gateway, for each
// kind of reader, checked against the same figures worked out here from the rows themselves (R2, R20).

let stack: Stack;
type Headers = Record<string, string>;

const MAGOG = stableId('organization', 'MUN-45072');
const SHERBROOKE = stableId('organization', 'MUN-43027');
const FIRM = stableId('organization', 'FIRM-GCE');
const KINDS = ['LOCAL_MUNICIPALITY', 'MRC', 'INTERMUNICIPAL_BOARD', 'OTHER_ORGANISM', 'CONSULTING_FIRM'] as const;
const REGIONS = ['05 Estrie', '03 Capitale-Nationale', '12 Chaudière-Appalaches', '06 Montréal'] as const;
const GENERATED_ORGANIZATIONS = 40;
const GENERATED_USERS = 500;

const STATISTICS = `query Statistics($groupBy: [UserStatisticsDimension!]!, $filter: UserStatisticsFilter) {
  userStatistics(groupBy: $groupBy, filter: $filter) {
    groups { organizationKind organization { id } status administrativeRegion mrc { id } userCount organizationCount rseCount }
    total { organizationKind organization { id } status administrativeRegion mrc { id } userCount organizationCount rseCount }
  }
}`;

/** A user as the figures see them: their columns and their organization's. */
interface UserFacts {
  organizationId: string;
  organizationKind: string;
  administrativeRegion: string | null;
  /** The organization's MRC (R5). */
  mrc: string | null;
  status: string;
  isRse: boolean;
}

type Dimension = 'organizationKind' | 'organization' | 'status' | 'administrativeRegion' | 'mrc';

const gateway = (variables: Record<string, unknown>, headers: Headers) => execute<any>(stack.gatewayUrl, STATISTICS, variables, headers);
const as = async (code: string) => bearer(await signIn(stack.gatewayUrl, code));
const codeOf = (response: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => response.errors?.[0]?.extensions?.code;
const sql = (query: string, params: unknown[] = []) =>
  stack.subgraphs.identity.database.orm.em.getConnection().execute<Array<Record<string, unknown>>>(query, params);

/**
 * Forty organizations of five kinds in four regions (the firms in none), and five hundred users,
 * some active, some suspended, some RSÉ, spread over them and over Magog, Sherbrooke and the
 * firm of the demo: the generated data the figures are checked on, beside the demo users.
 */
async function generateUsers(): Promise<void> {
  await sql(
    `insert into organization (id, kind, name, clic_sequr_status, administrative_region, created_at)
     select md5('us-organization-' || i)::uuid, (?::text[])[1 + i % 5], 'Organisation chiffrée ' || i, 'REGISTERED',
            case when i % 5 = 4 then null else (?::text[])[1 + (i / 5) % 4] end, now()
       from generate_series(1, ${GENERATED_ORGANIZATIONS}) i`,
    [`{${KINDS.join(',')}}`, `{${REGIONS.map((region) => `"${region}"`).join(',')}}`],
  );
  await sql(
    `insert into app_user (id, clic_sequr_code, given_name, family_name, email, status, is_rse, organization_id, password_hash, password_is_temporary, created_at, updated_at)
     select md5('us-user-' || i)::uuid, 'US' || lpad(i::text, 8, '0'), 'Prénom', 'Nom ' || i, 'us' || i || '@exemple.qc.ca',
            case when i % 7 = 0 then 'SUSPENDED' else 'ACTIVE' end, i % 9 = 0,
            case i % 20 when 0 then ?::uuid when 1 then ?::uuid when 2 then ?::uuid else md5('us-organization-' || (1 + (i * 7) % ${GENERATED_ORGANIZATIONS}))::uuid end,
            'not a hash', false, now(), now()
       from generate_series(1, ${GENERATED_USERS}) i`,
    [MAGOG, SHERBROOKE, FIRM],
  );
  // R5: each generated MRC is its own; each generated municipality and régie belongs to an MRC of its region.
  await sql(`update organization set mrc_id = id where kind = 'MRC'`);
  await sql(
    `update organization o
        set mrc_id = (select m.id from organization m
                       where m.kind = 'MRC' and m.name like 'Organisation chiffrée %' and m.administrative_region = o.administrative_region
                       order by m.id limit 1)
      where o.kind in ('LOCAL_MUNICIPALITY', 'INTERMUNICIPAL_BOARD') and o.name like 'Organisation chiffrée %'`,
  );
}

/** Every user of the identity database (the demo ones too), with their organization, read straight from the tables. */
async function allUsers(): Promise<UserFacts[]> {
  const rows = await sql(
    `select u.organization_id, o.kind, o.administrative_region, o.mrc_id, u.status, u.is_rse
       from app_user u join organization o on o.id = u.organization_id`,
  );
  return rows.map((row) => ({
    organizationId: String(row.organization_id),
    organizationKind: String(row.kind),
    administrativeRegion: typeof row.administrative_region === 'string' ? row.administrative_region : null,
    mrc: typeof row.mrc_id === 'string' ? row.mrc_id : null,
    status: String(row.status),
    isRse: row.is_rse === true,
  }));
}

const valueOf = (user: UserFacts, dimension: Dimension): string | null =>
  dimension === 'organization' ? user.organizationId : dimension === 'organizationKind' ? user.organizationKind : user[dimension];

/** The figures of `users`, worked out here. */
const figuresOf = (users: readonly UserFacts[]) => ({
  userCount: users.length,
  organizationCount: new Set(users.map((user) => user.organizationId)).size,
  rseCount: users.filter((user) => user.isRse).length,
});

/**
 * Expected groups by `dimensions`, in the answer's order: by each dimension's value, in the order
 * asked (PostgreSQL's byte order for these ASCII values and UUIDs), nulls last.
 */
function groupsOf(users: readonly UserFacts[], dimensions: readonly Dimension[]) {
  const keyOf = (user: UserFacts) => dimensions.map((dimension) => valueOf(user, dimension));
  const keys = [...new Map(users.map((user) => [JSON.stringify(keyOf(user)), keyOf(user)])).values()].sort((a, b) => {
    for (let index = 0; index < a.length; index += 1) {
      const [x, y] = [a[index], b[index]];
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      return x! < y! ? -1 : 1;
    }
    return 0;
  });
  return keys.map((key) => {
    const members = users.filter((user) => JSON.stringify(keyOf(user)) === JSON.stringify(key));
    const value = (dimension: Dimension) => {
      const index = dimensions.indexOf(dimension);
      return index < 0 ? null : key[index];
    };
    const organization = value('organization');
    const mrc = value('mrc');
    return {
      organizationKind: value('organizationKind'),
      organization: organization === null ? null : { id: organization },
      status: value('status'),
      administrativeRegion: value('administrativeRegion'),
      mrc: mrc === null ? null : { id: mrc },
      ...figuresOf(members),
    };
  });
}

const totalOf = (users: readonly UserFacts[]) => ({ organizationKind: null, organization: null, status: null, administrativeRegion: null, mrc: null, ...figuresOf(users) });

let dgomr: Headers;
let cse: Headers;
let regional: Headers;
let magogRse: Headers;
let firmRse: Headers;
let dgi: Headers;
let dniff: Headers;
let magogUser: Headers;
let mandataire: Headers;

beforeAll(async () => {
  stack = await startStack();
  await generateUsers();
  [dgomr, cse, regional, magogRse, firmRse, dgi, dniff, magogUser, mandataire] = await Promise.all([
    as('MAM0000001'),
    as('CSE0000001'),
    as('MAM0000004'),
    as('MAG0000001'),
    as('GCE0000001'),
    as('MAM0000002'),
    as('MAM0000003'),
    as('MAG0000002'),
    as('GCE0000002'),
  ]);
});

afterAll(async () => {
  await stack?.close();
});

describe('userStatistics: the same figures as the rows, for each kind of reader (issue 18, R2, R20)', () => {
  it("R20: the DGOMR gets every organization's users, by kind of organization and status", async () => {
    const response = await gateway({ groupBy: ['ORGANIZATION_KIND', 'STATUS'] }, dgomr);
    expect(response.errors).toBeUndefined();
    const users = await allUsers();
    expect(users.length).toBeGreaterThan(GENERATED_USERS);
    expect(response.data.userStatistics.groups).toEqual(groupsOf(users, ['organizationKind', 'status']));
    expect(response.data.userStatistics.total).toEqual(totalOf(users));
  });

  it("R4, R20: clicSÉQUR's customer service gets every organization's users too, by region (none for firms and the ministry)", async () => {
    const response = await gateway({ groupBy: ['ADMINISTRATIVE_REGION'] }, cse);
    expect(response.errors).toBeUndefined();
    const users = await allUsers();
    const groups = groupsOf(users, ['administrativeRegion']);
    expect(groups.at(-1)?.administrativeRegion).toBeNull();
    expect(response.data.userStatistics.groups).toEqual(groups);
  });

  it('R5, R20: the regional direction of Estrie gets the users of the organizations of region 05 only, by organization', async () => {
    const response = await gateway({ groupBy: ['ORGANIZATION', 'STATUS'] }, regional);
    expect(response.errors).toBeUndefined();
    const inScope = (await allUsers()).filter((user) => /^05\b/.test(user.administrativeRegion ?? ''));
    expect(new Set(inScope.map((user) => user.organizationId)).size).toBeGreaterThan(5);
    expect(response.data.userStatistics.groups).toEqual(groupsOf(inScope, ['organization', 'status']));
    expect(response.data.userStatistics.total).toEqual(totalOf(inScope));
  });

  it("R2: an RSÉ gets their own organization's users only: Magog's RSÉ Magog's, the firm's RSÉ the firm's", async () => {
    const users = await allUsers();
    for (const [reader, organizationId] of [
      [magogRse, MAGOG],
      [firmRse, FIRM],
    ] as const) {
      const response = await gateway({ groupBy: ['STATUS', 'ORGANIZATION_KIND'] }, reader);
      expect(response.errors).toBeUndefined();
      const inScope = users.filter((user) => user.organizationId === organizationId);
      expect(inScope.length).toBeGreaterThan(20);
      expect(response.data.userStatistics.groups).toEqual(groupsOf(inScope, ['status', 'organizationKind']));
    }
  });

  it('filters by kind of organization, region, organization and status', async () => {
    const filter = { organizationKinds: ['LOCAL_MUNICIPALITY', 'MRC'], administrativeRegions: ['05 Estrie', '03 Capitale-Nationale'], statuses: ['ACTIVE'] };
    const response = await gateway({ groupBy: ['ADMINISTRATIVE_REGION', 'ORGANIZATION_KIND'], filter }, dgomr);
    expect(response.errors).toBeUndefined();
    const inScope = (await allUsers()).filter(
      (user) =>
        filter.organizationKinds.includes(user.organizationKind) && filter.administrativeRegions.includes(user.administrativeRegion ?? '') && user.status === 'ACTIVE',
    );
    expect(inScope.length).toBeGreaterThan(20);
    expect(response.data.userStatistics.groups).toEqual(groupsOf(inScope, ['administrativeRegion', 'organizationKind']));
    const one = await gateway({ groupBy: [], filter: { organizationIds: [MAGOG, SHERBROOKE], statuses: ['SUSPENDED'] } }, cse);
    const suspended = (await allUsers()).filter((user) => [MAGOG, SHERBROOKE].includes(user.organizationId) && user.status === 'SUSPENDED');
    expect(suspended.length).toBeGreaterThan(0);
    expect(one.data.userStatistics).toEqual({ groups: [], total: totalOf(suspended) });
  });

  it('filters by creation days in Québec and groups by month of creation', async () => {
    // The generated users' codes created every 17 hours from 1 January 2025 in Québec, one at
    // 23:30 on 28 February in Québec, already 1 March in UTC: it belongs to February.
    await sql(
      `update app_user set created_at = timestamptz '2025-01-01 00:00-05' + (substr(clic_sequr_code, 3)::int * interval '17 hours')
        where clic_sequr_code like 'US%'`,
    );
    await sql(`update app_user set created_at = timestamptz '2025-02-28 23:30-05' where clic_sequr_code = 'US00000001'`);
    const response = await execute<any>(
      stack.gatewayUrl,
      `query($filter: UserStatisticsFilter) { userStatistics(groupBy: [CREATION_MONTH], filter: $filter) { groups { creationMonth userCount } total { userCount } } }`,
      { filter: { createdFrom: '2025-02-15', createdUntil: '2025-05-31' } },
      dgomr,
    );
    expect(response.errors).toBeUndefined();
    const days = (
      await sql(`select to_char(created_at at time zone 'America/Toronto', 'YYYY-MM-DD') as day from app_user`)
    ).map((row) => String(row.day));
    const inPeriod = days.filter((day) => day >= '2025-02-15' && day <= '2025-05-31');
    const months = [...new Set(inPeriod.map((day) => day.slice(0, 7)))].sort();
    expect(months).toEqual(['2025-02', '2025-03', '2025-04', '2025-05']);
    expect(response.data.userStatistics.groups).toEqual(
      months.map((month) => ({ creationMonth: month, userCount: inPeriod.filter((day) => day.startsWith(month)).length })),
    );
    expect(response.data.userStatistics.total.userCount).toBe(inPeriod.length);
    expect(days).toContain('2025-02-28');

    const backwards = await gateway({ groupBy: [], filter: { createdFrom: '2025-06-01', createdUntil: '2025-05-31' } }, dgomr);
    expect(codeOf(backwards)).toBe('BAD_USER_INPUT');
    expect(backwards.errors?.[0]?.extensions?.field).toBe('filter.createdUntil');
  });

  it('R20: the DGI, the DNIFF, a plain user and a mandataire, who list no organization’s users, get no figures: FORBIDDEN', async () => {
    for (const reader of [dgi, dniff, magogUser, mandataire]) {
      const response = await gateway({ groupBy: ['STATUS'] }, reader);
      expect(codeOf(response)).toBe('FORBIDDEN');
      expect(response.data?.userStatistics ?? null).toBeNull();
    }
  });

  it("costs one SQL statement in identity beyond what any request costs (its session), and one more for the groups' organizations, whatever their number", async () => {
    const identity = stack.subgraphs.identity.origin;
    // Any request to identity: the gateway's and identity's checks of the session.
    const baseline = await statementsDuring(identity, () => execute<any>(stack.gatewayUrl, 'query { me { id } }', {}, dgomr));
    expect(baseline.result.errors).toBeUndefined();
    const figures = await statementsDuring(identity, () => gateway({ groupBy: ['ORGANIZATION_KIND', 'STATUS', 'ADMINISTRATIVE_REGION'] }, dgomr));
    expect(figures.result.errors).toBeUndefined();
    expect(figures.statements).toBeLessThanOrEqual(baseline.statements + 1);
    const withOrganizations = await statementsDuring(identity, () => gateway({ groupBy: ['ORGANIZATION'] }, dgomr));
    expect(withOrganizations.result.data.userStatistics.groups.length).toBeGreaterThan(30);
    expect(withOrganizations.statements).toBeLessThanOrEqual(baseline.statements + 2);
  });

  it('R5, R20: groups by MRC as the Répertoire says (null outside any MRC), and filters by MRC, within what the reader may list', async () => {
    const users = await allUsers();
    const byMrc = await gateway({ groupBy: ['MRC', 'STATUS'] }, dgomr);
    expect(byMrc.errors).toBeUndefined();
    const groups = groupsOf(users, ['mrc', 'status']);
    expect(new Set(groups.map((group) => group.mrc?.id ?? null)).size).toBeGreaterThan(5);
    expect(groups.at(-1)?.mrc).toBeNull();
    expect(byMrc.data.userStatistics.groups).toEqual(groups);

    const mrcs = [...new Set(users.map((user) => user.mrc).filter((mrc): mrc is string => mrc !== null))].sort().slice(0, 3);
    expect(mrcs).toContain(stableId('organization', 'MRC-450'));
    const filtered = await gateway({ groupBy: ['ORGANIZATION'], filter: { mrcIds: [...mrcs, 'pas-un-identifiant'] } }, dgomr);
    expect(filtered.errors).toBeUndefined();
    const inMrcs = users.filter((user) => mrcs.includes(user.mrc ?? ''));
    expect(filtered.data.userStatistics.groups).toEqual(groupsOf(inMrcs, ['organization']));
    expect(filtered.data.userStatistics.total).toEqual(totalOf(inMrcs));

    // Estrie's regional direction: the MRC of its region only, whatever MRC it asks for.
    const regionalByMrc = await gateway({ groupBy: ['MRC'], filter: { mrcIds: mrcs } }, regional);
    expect(regionalByMrc.errors).toBeUndefined();
    const inRegion = inMrcs.filter((user) => /^05\b/.test(user.administrativeRegion ?? ''));
    expect(inRegion.length).toBeGreaterThan(0);
    expect(regionalByMrc.data.userStatistics.groups).toEqual(groupsOf(inRegion, ['mrc']));
  });

  it('refuses a dimension asked twice, more than 100 values in a filter, and more than 1,000 groups, with the field at fault', async () => {
    const twice = await gateway({ groupBy: ['STATUS', 'STATUS'] }, dgomr);
    expect(codeOf(twice)).toBe('BAD_USER_INPUT');
    expect(twice.errors?.[0]?.extensions?.field).toBe('groupBy');
    const many = await gateway({ groupBy: [], filter: { administrativeRegions: Array.from({ length: 101 }, (_, i) => `${i} Région`) } }, dgomr);
    expect(codeOf(many)).toBe('BAD_USER_INPUT');
    expect(many.errors?.[0]?.extensions?.field).toBe('filter.administrativeRegions');
    const manyMrc = await gateway({ groupBy: [], filter: { mrcIds: Array.from({ length: 101 }, () => MAGOG) } }, dgomr);
    expect(manyMrc.errors?.[0]?.extensions?.field).toBe('filter.mrcIds');
    // 1,001 more organizations, each with one user.
    await sql(
      `insert into organization (id, kind, name, clic_sequr_status, created_at)
       select md5('us-many-organization-' || i)::uuid, 'CONSULTANT', 'Consultant ' || i, 'REGISTERED', now() from generate_series(1, 1001) i`,
    );
    await sql(
      `insert into app_user (id, clic_sequr_code, given_name, family_name, email, organization_id, password_hash, created_at, updated_at)
       select md5('us-many-user-' || i)::uuid, 'UM' || lpad(i::text, 8, '0'), 'Prénom', 'Nom', 'um' || i || '@exemple.qc.ca',
              md5('us-many-organization-' || i)::uuid, 'not a hash', now(), now()
         from generate_series(1, 1001) i`,
    );
    const tooMany = await gateway({ groupBy: ['ORGANIZATION'] }, dgomr);
    expect(codeOf(tooMany)).toBe('BAD_USER_INPUT');
    expect(tooMany.errors?.[0]?.extensions?.field).toBe('groupBy');
    expect((await gateway({ groupBy: ['ORGANIZATION_KIND'] }, dgomr)).data.userStatistics.total).toEqual(totalOf(await allUsers()));
  });
});
