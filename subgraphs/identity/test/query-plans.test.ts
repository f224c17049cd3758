import { FIRM_USERS_PATH, GEOGRAPHY_PATH, MEMBERS_PATH } from '@pgamr/kit';
import { DEMO_PASSWORD, expectIndexReads as expectIndexReadsOf, generatedId, generatedIdSql as sqlId, loadInBulk, planned as plannedRun, type StatementPlan } from '@pgamr/kit/testing';
import { startIdentity, type IdentityUnderTest } from './support';

/*
 * Issue 7: identity's lookups and lists keep their latency as the portal's users, sessions and
 * audit trail grow. The subgraph runs each operation on a data set far larger than one
 * organization's share; the statements it issued are taken from its query log, and PostgreSQL's
 * plan for each must read the large tables through indexes (a Seq Scan costs in proportion to
 * the whole table). The organization table is left out: the Répertoire lists nearly all of it.
 */

const ORGANIZATIONS = 500;
const USERS_PER_ORGANIZATION = 100;
const USERS = ORGANIZATIONS * USERS_PER_ORGANIZATION;
const SESSIONS = 50_000;
const AUDIT_ENTRIES = 40_000;
// One organization in ten is a consulting firm, whose users other subgraphs look up by code.
const FIRM_EVERY = 10;

const LARGE_TABLES = ['app_user', 'session', 'refresh_token', 'audit_event'];

/** Generated user i's clicSÉQUR code: `GEN` and nine digits. */
const codeOf = (index: number) => `GEN${String(index).padStart(9, '0')}`;

// User i belongs to organization i % 500; the first user of each organization is its RSÉ. Every
// generated user has the demo users' password, so that the test can sign in as one of them.
const INSERTS = [
  `insert into organization (id, kind, name, neq, clic_sequr_status, geographic_code, administrative_region, created_at)
   select ${sqlId('organization', 'k')}, case when k % ${FIRM_EVERY} = 0 then 'CONSULTING_FIRM' else 'LOCAL_MUNICIPALITY' end,
     'Organisation ' || k, null, 'REGISTERED', null, '05 Estrie', now()
   from generate_series(0, ${ORGANIZATIONS - 1}) k`,
  `insert into app_user (id, clic_sequr_code, given_name, family_name, email, phone, status, is_rse, direction, organization_id,
     password_hash, password_is_temporary, temporary_password_expires_at, created_at, updated_at)
   select ${sqlId('user', 'i')}, 'GEN' || lpad(i::text, 9, '0'),
     (array['Isabelle', 'Marc', 'Luc', 'Caroline', 'Sophie', 'Julien', 'Amélie'])[1 + i % 7],
     (array['Tremblay', 'Gagnon', 'Roy', 'Côté', 'Bouchard', 'Gauthier', 'Morin', 'Lavoie', 'Fortin', 'Gagné'])[1 + (i / 7) % 10] || ' ' || i,
     'usager' || i || '@exemple.qc.ca', null, 'ACTIVE', i < ${ORGANIZATIONS}, null, ${sqlId('organization', `i % ${ORGANIZATIONS}`)},
     (select password_hash from app_user where clic_sequr_code = 'MAG0000001'), false, null, now(), now()
   from generate_series(0, ${USERS - 1}) i`,
  `insert into session (id, user_id, created_at, expires_at, revoked_at, revoked_reason)
   select ${sqlId('session', 's')}, ${sqlId('user', `s % ${USERS}`)}, now() - interval '1 day', now() + interval '1 day', null, null
   from generate_series(0, ${SESSIONS - 1}) s`,
  `insert into refresh_token (id, session_id, token_hash, created_at, expires_at, used_at)
   select ${sqlId('refresh', 's')}, ${sqlId('session', 's')}, md5('token-' || s) || md5('hash-' || s), now(), now() + interval '1 day', null
   from generate_series(0, ${SESSIONS - 1}) s`,
  `insert into audit_event (id, occurred_at, actor_user_id, actor_organization_id, organization_id, service_id, action, target_type, target_id, before, after)
   select ${sqlId('audit', 'i')}, timestamptz '2021-01-01' + make_interval(mins => (i * 7919) % (5 * 525600)),
     ${sqlId('user', `i % ${ORGANIZATIONS}`)}, ${sqlId('organization', `i % ${ORGANIZATIONS}`)}, ${sqlId('organization', `i % ${ORGANIZATIONS}`)},
     null, 'USER_PROFILE_CHANGED', 'User', ${sqlId('user', `i % ${USERS}`)}, null, null
   from generate_series(0, ${AUDIT_ENTRIES - 1}) i`,
];

// The caller: the RSÉ of generated organization 7, a municipality.
const ORGANIZATION = generatedId('organization', 7);
const RSE_CODE = codeOf(7);

let identity: IdentityUnderTest;
let rse: Record<string, string>;

const planned = <T>(operation: () => Promise<T>) => plannedRun(identity.subgraph.database.orm, identity.logLines, operation);

const expectIndexReads = (plans: StatementPlan[], expected: string[]) => expectIndexReadsOf(plans, LARGE_TABLES, expected);

beforeAll(async () => {
  identity = await startIdentity();
  // Organizations first: users point at them. No table of identity but these grows with the portal.
  await loadInBulk(identity.subgraph.database.orm, ['organization', ...LARGE_TABLES], INSERTS);
  rse = await identity.as(RSE_CODE);
  identity.logLines.length = 0;
});

afterAll(async () => {
  await identity?.subgraph.close();
});

describe('identity subgraph: lookups and lists at scale read through indexes (issue 7)', () => {
  it('R1, R6: signing in finds the clicSÉQUR code, and renewing finds the refresh token, by index', async () => {
    const signIn = await planned(() =>
      identity.gql<{ signIn: { session: { refreshToken: string } } }>(
        'mutation($input: SignInInput!) { signIn(input: $input) { session { refreshToken } } }',
        { input: { clicSequrCode: codeOf(1234), password: DEMO_PASSWORD } },
      ),
    );
    expect(signIn.result.errors).toBeUndefined();
    expectIndexReads(signIn.plans, ['app_user']);

    const refresh = await planned(() =>
      identity.gql('mutation($token: String!) { refreshSession(input: { refreshToken: $token }) { session { accessToken } } }', {
        token: signIn.result.data!.signIn.session.refreshToken,
      }),
    );
    expect(refresh.result.errors).toBeUndefined();
    expectIndexReads(refresh.plans, ['refresh_token', 'session', 'app_user']);
  });

  it("R2: an organization's users, for its RSÉ, page after page", async () => {
    type Users = { organization: { users: { nodes: Array<{ familyName: string }>; totalCount: number; pageInfo: { endCursor: string } }; hasActiveRse: boolean } };
    const query = 'query($id: ID!, $after: String) { organization(id: $id) { users(first: 60, after: $after) { nodes { familyName } totalCount pageInfo { endCursor } } hasActiveRse } }';
    const first = await planned(() => identity.gql<Users>(query, { id: ORGANIZATION }, rse));
    expect(first.result.errors).toBeUndefined();
    expect(first.result.data!.organization.users.nodes).toHaveLength(60);
    expect(first.result.data!.organization.users.totalCount).toBe(USERS_PER_ORGANIZATION);
    expectIndexReads(first.plans, ['app_user', 'session']);
    const second = await planned(() => identity.gql<Users>(query, { id: ORGANIZATION, after: first.result.data!.organization.users.pageInfo.endCursor }, rse));
    expect(second.result.data!.organization.users.nodes).toHaveLength(USERS_PER_ORGANIZATION - 60);
    expectIndexReads(second.plans, ['app_user', 'session']);
  });

  it("R21: an organization's audit trail, page after page", async () => {
    const query = 'query($id: ID!, $after: String) { auditTrail(organizationId: $id, first: 10, after: $after) { nodes { action } pageInfo { endCursor } } }';
    const first = await planned(() => identity.gql<{ auditTrail: { nodes: unknown[]; pageInfo: { endCursor: string } } }>(query, { id: ORGANIZATION }, rse));
    expect(first.result.data!.auditTrail.nodes).toHaveLength(10);
    expectIndexReads(first.plans, ['audit_event']);
    const after = first.result.data!.auditTrail.pageInfo.endCursor;
    const second = await planned(() => identity.gql(query, { id: ORGANIZATION, after }, rse));
    expect(second.result.errors).toBeUndefined();
    expectIndexReads(second.plans, ['audit_event']);
  });

  it('R2: suspending a user closes their sessions, found by user', async () => {
    const member = ORGANIZATIONS * 3 + 7;
    const { result, plans } = await planned(() =>
      identity.gql<{ suspendUser: { user: { status: string } } }>(
        'mutation($id: ID!) { suspendUser(input: { userId: $id, reason: "Départ de l’organisation" }) { user { status } } }',
        { id: generatedId('user', member) },
        rse,
      ),
    );
    expect(result.data).toEqual({ suspendUser: { user: { status: 'SUSPENDED' } } });
    expectIndexReads(plans, ['app_user', 'session']);
    expect(plans.some((plan) => /^update "session"/.test(plan.sql))).toBe(true);
  });

  it("R15: other subgraphs find a firm's user by the clicSÉQUR code they were given", async () => {
    const firmUser = FIRM_EVERY * 7;
    const { result, plans } = await planned(async () => {
      const response = await fetch(`${identity.subgraph.origin}${FIRM_USERS_PATH}/${codeOf(firmUser)}`, { headers: rse });
      return { status: response.status, body: (await response.json()) as { userId: string } };
    });
    expect(result).toEqual({ status: 200, body: expect.objectContaining({ userId: generatedId('user', firmUser) }) });
    expectIndexReads(plans, ['app_user']);
  });

  it("R5: the Répertoire's geography is one statement, and its ETag answers a 304 with no body until a correction", async () => {
    const url = `${identity.subgraph.origin}${GEOGRAPHY_PATH}`;
    const { result: first, plans } = await planned(async () => {
      const response = await fetch(url, { headers: rse });
      return { status: response.status, etag: response.headers.get('etag'), body: (await response.json()) as { bodies: Array<{ organizationId: string }> } };
    });
    expect(first.status).toBe(200);
    // The 450 generated municipalities and the demo's municipal bodies; no firm.
    expect(first.body.bodies.length).toBeGreaterThanOrEqual(ORGANIZATIONS - ORGANIZATIONS / FIRM_EVERY);
    expect(first.body.bodies.map((body) => body.organizationId)).not.toContain(generatedId('organization', FIRM_EVERY));
    expect(plans.filter((plan) => /"organization"|\borganization\b/.test(plan.sql) && /json_agg/.test(plan.sql))).toHaveLength(1);

    const unchanged = await fetch(url, { headers: { ...rse, 'if-none-match': first.etag! } });
    expect(unchanged.status).toBe(304);
    expect(await unchanged.text()).toBe('');
    expect(unchanged.headers.get('etag')).toBe(first.etag);

    await identity.subgraph.database.orm.em
      .getConnection()
      .execute(`update organization set administrative_region = '16 Montérégie' where id = '${ORGANIZATION}'`);
    const corrected = await fetch(url, { headers: { ...rse, 'if-none-match': first.etag! } });
    expect(corrected.status).toBe(200);
    expect(corrected.headers.get('etag')).not.toBe(first.etag);
    const { bodies } = (await corrected.json()) as { bodies: Array<{ organizationId: string; administrativeRegion: string | null }> };
    expect(bodies.find((body) => body.organizationId === ORGANIZATION)?.administrativeRegion).toBe('16 Montérégie');
    await identity.subgraph.database.orm.em.getConnection().execute(`update organization set administrative_region = '05 Estrie' where id = '${ORGANIZATION}'`);
  });

  it("R13, R20: services finds to which organization a grantee belongs, by the user's id", async () => {
    // A colleague of the caller: user 507 belongs to organization 507 % 500 = 7.
    const colleague = ORGANIZATIONS + 7;
    const { result, plans } = await planned(async () => {
      const response = await fetch(`${identity.subgraph.origin}${MEMBERS_PATH}/${generatedId('user', colleague)}`, { headers: rse });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    });
    expect(result).toEqual({
      status: 200,
      body: { userId: generatedId('user', colleague), organizationId: ORGANIZATION, organizationKind: 'LOCAL_MUNICIPALITY' },
    });
    expectIndexReads(plans, ['app_user']);
  });
});
