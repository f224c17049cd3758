import { stableId } from '@pgamr/kit';
import { AuditEvent } from '@pgamr/kit';
import { User, UserStatus } from '../src/user/user.entity';
import { codeOf, startIdentity, type IdentityUnderTest } from './support';

let identity: IdentityUnderTest;
let rseMagog: Record<string, string>;
let marc: Record<string, string>;
let rseSherbrooke: Record<string, string>;

beforeAll(async () => {
  identity = await startIdentity();
  [rseMagog, marc, rseSherbrooke] = await Promise.all([identity.as('MAG0000001'), identity.as('MAG0000002'), identity.as('SHE0000001')]);
});

afterAll(async () => {
  await identity?.subgraph.close();
});

const MAGOG = stableId('organization', 'MUN-45072');
const ISABELLE = stableId('user', 'MAG0000001');
const MARC = stableId('user', 'MAG0000002');
const SOPHIE = stableId('user', 'SHE0000001');
const PROFILE = { givenName: 'Marc-André', familyName: 'Gagnon', email: 'marc-andre.gagnon@magog.ca', phone: '819 843-6501' };
const UPDATE_PROFILE = 'mutation($input: UpdateUserProfileInput!) { updateUserProfile(input: $input) { user { id givenName email phone } } }';
const SUSPEND = 'mutation($id: ID!, $reason: String!) { suspendUser(input: { userId: $id, reason: $reason }) { user { id status } } }';
const REACTIVATE = 'mutation($id: ID!) { reactivateUser(input: { userId: $id }) { user { id status } } }';
const CHANGE_PASSWORD = 'mutation($o: String!, $n: String!) { changePassword(input: { currentPassword: $o, newPassword: $n }) { session { accessToken } } }';

const auditCount = () => identity.subgraph.database.orm.em.fork().count(AuditEvent);

describe('R2: only an RSÉ of the organization administers its users', () => {
  it('an RSÉ creates a user with a generated code and a temporary password shown once', async () => {
    const created = await identity.gql(
      'mutation { createUser(input: { givenName: "Léa", familyName: "Poirier", email: "LEA.POIRIER@magog.ca" }) { user { id clicSequrCode email status isRse } temporaryPassword } }',
      {},
      rseMagog,
    );
    expect(created.errors).toBeUndefined();
    const { user, temporaryPassword } = created.data!.createUser;
    expect(user).toMatchObject({ email: 'lea.poirier@magog.ca', status: 'ACTIVE', isRse: false });
    const stored = await identity.subgraph.database.orm.em.fork().findOneOrFail(User, user.id, { populate: ['passwordHash'] });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    expect(stored.passwordHash).not.toContain(temporaryPassword);
    expect(stored.passwordIsTemporary).toBe(true);
  });

  it('a user who is not RSÉ creates no one, and nothing is written', async () => {
    const before = [await auditCount(), await identity.subgraph.database.orm.em.fork().count(User)];
    const refused = await identity.gql('mutation { createUser(input: { givenName: "X", familyName: "Y", email: "x@y.ca" }) { temporaryPassword } }', {}, marc);
    expect(codeOf(refused)).toBe('FORBIDDEN');
    expect([await auditCount(), await identity.subgraph.database.orm.em.fork().count(User)]).toEqual(before);
  });

  it.each([
    ['updateUserProfile', UPDATE_PROFILE, { input: { userId: MARC, ...PROFILE } }],
    ['resetTemporaryPassword', 'mutation($id: ID!) { resetTemporaryPassword(input: { userId: $id }) { temporaryPassword } }', { id: MARC }],
    ['suspendUser', SUSPEND, { id: MARC, reason: 'essai' }],
  ])('the RSÉ of organization B cannot %s a user of organization A', async (_name, mutation, variables) => {
    const before = await auditCount();
    const refused = await identity.gql(mutation, variables, rseSherbrooke);
    expect(codeOf(refused)).toBe('FORBIDDEN');
    expect(await auditCount()).toBe(before);
    const marcNow = await identity.subgraph.database.orm.em.fork().findOneOrFail(User, MARC);
    expect(marcNow).toMatchObject({ givenName: 'Marc', status: 'ACTIVE', passwordIsTemporary: false });
  });

  it('users do not edit their own profile, RSÉ included', async () => {
    for (const [headers, id] of [[marc, MARC], [rseMagog, ISABELLE]] as const) {
      const refused = await identity.gql(UPDATE_PROFILE, { input: { userId: id, ...PROFILE } }, headers);
      expect(codeOf(refused)).toBe('FORBIDDEN');
    }
  });

  it('an RSÉ updates a profile, with a clear French message for bad input and nothing written', async () => {
    const before = await auditCount();
    const blank = await identity.gql(UPDATE_PROFILE, { input: { userId: MARC, ...PROFILE, givenName: '  ', familyName: ' ' } }, rseMagog);
    expect(blank.errors?.[0]).toMatchObject({
      message: 'Certains renseignements du profil sont invalides.',
      extensions: {
        code: 'BAD_USER_INPUT',
        field: 'input.givenName',
        fields: { 'input.givenName': expect.any(String) as string, 'input.familyName': expect.any(String) as string },
      },
    });
    // A malformed e-mail or phone is refused by its scalar (EmailAddress, PhoneNumber), before the resolver.
    for (const malformed of [{ email: 'pas-un-courriel' }, { phone: 'pas un numéro' }]) {
      const refused = await identity.gql(UPDATE_PROFILE, { input: { userId: MARC, ...PROFILE, ...malformed } }, rseMagog);
      expect(codeOf(refused)).toBe('BAD_USER_INPUT');
      expect(refused.errors?.[0]?.message).toMatch(/invalide/);
    }
    expect(await auditCount()).toBe(before);
    const good = await identity.gql(UPDATE_PROFILE, { input: { userId: MARC, ...PROFILE } }, rseMagog);
    expect(good.data).toEqual({ updateUserProfile: { user: { id: MARC, givenName: 'Marc-André', email: 'marc-andre.gagnon@magog.ca', phone: '819 843-6501' } } });
  });

  it('unknown or malformed ids get NOT_FOUND', async () => {
    for (const id of [stableId('user', 'nobody'), 'pas-un-id']) {
      const response = await identity.gql(REACTIVATE, { id }, rseMagog);
      expect(codeOf(response)).toBe('NOT_FOUND');
    }
  });
});

describe('R2: suspension', () => {
  it('the last active RSÉ cannot be suspended; with a second RSÉ, one RSÉ suspends the other', async () => {
    // Sherbrooke has a single RSÉ: nobody can suspend her (she cannot act on herself either).
    const self = await identity.gql(SUSPEND, { id: SOPHIE, reason: 'essai' }, rseSherbrooke);
    expect(codeOf(self)).toBe('FORBIDDEN');

    const second = await identity.gql(
      'mutation { createUser(input: { givenName: "Éric", familyName: "Dion", email: "eric.dion@sherbrooke.ca", isRse: true }) { user { id } } }',
      {},
      rseSherbrooke,
    );
    const eric = second.data!.createUser.user.id as string;
    const suspended = await identity.gql(SUSPEND, { id: eric, reason: 'Départ' }, rseSherbrooke);
    expect(suspended.data).toEqual({ suspendUser: { user: { id: eric, status: 'SUSPENDED' } } });
    // Éric suspended, Sophie is again the last active RSÉ: still not suspendable by anyone.
    const reactivated = await identity.gql(REACTIVATE, { id: eric }, rseSherbrooke);
    expect(reactivated.data).toEqual({ reactivateUser: { user: { id: eric, status: 'ACTIVE' } } });
  });

  it('two RSÉ suspending each other at once: one wins, the other gets CONFLICT, one RSÉ stays active', async () => {
    const created = await identity.gql(
      'mutation { createUser(input: { givenName: "Karine", familyName: "Lévesque", email: "karine@magog.ca", isRse: true }) { user { id clicSequrCode } temporaryPassword } }',
      {},
      rseMagog,
    );
    const karine = created.data!.createUser;
    const temporary = await identity.as(karine.user.clicSequrCode, karine.temporaryPassword);
    await identity.gql(CHANGE_PASSWORD, { o: karine.temporaryPassword, n: 'Rue-Sherbrooke-1888' }, temporary);
    const karineHeaders = await identity.as(karine.user.clicSequrCode, 'Rue-Sherbrooke-1888');
    const isabelleHeaders = await identity.as('MAG0000001');
    const before = await auditCount();

    const outcomes = await Promise.all([
      identity.gql(SUSPEND, { id: karine.user.id, reason: 'Réorganisation' }, isabelleHeaders),
      identity.gql(SUSPEND, { id: ISABELLE, reason: 'Réorganisation' }, karineHeaders),
    ]);
    const codes = outcomes.map((outcome) => (outcome.errors ? codeOf(outcome) : 'OK')).sort();
    expect(codes).toEqual(['CONFLICT', 'OK']);
    expect(outcomes.find((outcome) => outcome.errors)?.errors?.[0]?.message).toBe("Impossible de suspendre le dernier RSÉ actif de l'organisation.");
    const activeRse = await identity.subgraph.database.orm.em.fork().count(User, { organization: MAGOG, isRse: true, status: UserStatus.Active });
    expect(activeRse).toBe(1);
    expect(await auditCount()).toBe(before + 1);

    // Restore Isabelle if she was the one suspended, for the tests that follow.
    if (codes[1] === 'OK' && outcomes[1].data) {
      await identity.gql(REACTIVATE, { id: ISABELLE }, karineHeaders);
    }
  });

  it("a suspended user's open session ends at once", async () => {
    const created = await identity.gql(
      'mutation { createUser(input: { givenName: "Paul", familyName: "Roy", email: "paul@magog.ca" }) { user { id clicSequrCode } temporaryPassword } }',
      {},
      await identity.as('MAG0000001'),
    );
    const paul = created.data!.createUser;
    const paulHeaders = await identity.as(paul.user.clicSequrCode, paul.temporaryPassword);
    await identity.gql(SUSPEND, { id: paul.user.id, reason: 'Départ' }, await identity.as('MAG0000001'));
    const after = await identity.gql(CHANGE_PASSWORD, { o: paul.temporaryPassword, n: 'Rue-Principale-2026' }, paulHeaders);
    expect(codeOf(after)).toBe('UNAUTHENTICATED');
    const again = await identity.gql('mutation($input: SignInInput!) { signIn(input: $input) { session { accessToken } } }', {
      input: { clicSequrCode: paul.user.clicSequrCode, password: paul.temporaryPassword },
    });
    expect(codeOf(again)).toBe('FORBIDDEN');
    expect(again.errors?.[0]?.message).toMatch(/suspendu/);
  });
});

describe('R20: who sees which user', () => {
  it('a user of another organization sees neither the user nor the list; the refusal nulls the list only, not the organization', async () => {
    const other = await identity.gql(
      `{ user(id: "${MARC}") { givenName } organization(id: "${MAGOG}") { name users { totalCount nodes { id } } } }`,
      {},
      rseSherbrooke,
    );
    expect(other.data?.user).toBeNull();
    expect(other.data?.organization).toEqual({ name: 'Ville de Magog', users: null });
    expect(other.errors?.map((error) => [error.extensions?.code, error.path])).toEqual([['FORBIDDEN', ['organization', 'users']]]);
  });

  it("a colleague sees a user's name but not their contact details; the RSÉ and the user see everything", async () => {
    const colleague = await identity.as('MAG0000002');
    const karine = await identity.subgraph.database.orm.em.fork().findOneOrFail(User, { email: 'karine@magog.ca' });
    const seen = await identity.gql(`{ user(id: "${karine.id}") { givenName email clicSequrCode } }`, {}, colleague);
    expect(seen.data?.user).toEqual({ givenName: 'Karine', email: null, clicSequrCode: null });
    expect(seen.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);

    const own = await identity.gql('{ me { givenName email clicSequrCode status } }', {}, colleague);
    expect(own.data?.me).toMatchObject({ email: 'marc-andre.gagnon@magog.ca', clicSequrCode: 'MAG0000002', status: 'ACTIVE' });
  });

  it('DGOMR staff list the users of any organization; DGI staff do not', async () => {
    const dgomr = await identity.gql(`{ organization(id: "${MAGOG}") { users(first: 100) { totalCount nodes { familyName email } } } }`, {}, await identity.as('MAM0000001'));
    expect(dgomr.errors).toBeUndefined();
    const { nodes, totalCount } = dgomr.data!.organization.users as { nodes: Array<{ familyName: string }>; totalCount: number };
    expect(nodes.length).toBeGreaterThan(1);
    expect(totalCount).toBe(nodes.length);
    const dgi = await identity.gql(`{ organization(id: "${MAGOG}") { users { nodes { familyName } } } }`, {}, await identity.as('MAM0000002'));
    expect(codeOf(dgi)).toBe('FORBIDDEN');
  });

  it("R2: an organization's users, page by page by name, each once, with their cursors", async () => {
    const rse = await identity.as('MAG0000001');
    const all = (await identity.gql(`{ organization(id: "${MAGOG}") { users(first: 100) { nodes { id familyName givenName } } } }`, {}, rse)).data!
      .organization.users.nodes as Array<{ id: string; familyName: string; givenName: string }>;
    const byName = [...all].sort((a, b) => (a.familyName === b.familyName ? (a.givenName < b.givenName ? -1 : 1) : a.familyName < b.familyName ? -1 : 1));
    expect(all.map((user) => user.id)).toEqual(byName.map((user) => user.id));

    const PAGE = `query($o: ID!, $after: String) { organization(id: $o) { users(first: 2, after: $after) {
      edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`;
    type Users = { edges: Array<{ cursor: string; node: { id: string } }>; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string } };
    const paged: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 20; pages++) {
      const users: Users = (await identity.gql(PAGE, { o: MAGOG, after }, rse)).data!.organization.users;
      expect(users.pageInfo).toMatchObject({ hasPreviousPage: after !== null, startCursor: users.edges[0]!.cursor, endCursor: users.edges.at(-1)!.cursor });
      paged.push(...users.edges.map((edge) => edge.node.id));
      if (!users.pageInfo.hasNextPage) break;
      after = users.pageInfo.endCursor;
    }
    expect(paged).toEqual(all.map((user) => user.id));
  });
});

describe('R21: the audit trail', () => {
  it('records who changed what, before and after, readable by the RSÉ and DGOMR, not by others', async () => {
    const dgomr = await identity.as('MAM0000001');
    const trail = await identity.gql(
      `{ auditTrail(organizationId: "${MAGOG}", first: 100) { totalCount nodes { action occurredAt actor { id givenName } targetType targetId before after } } }`,
      {},
      dgomr,
    );
    expect(trail.errors).toBeUndefined();
    type Event = { action: string; occurredAt: string; actor: { id: string; givenName: string } | null; targetType: string; targetId: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null };
    const events = trail.data!.auditTrail.nodes as Event[];
    expect(trail.data!.auditTrail.totalCount).toBe(events.length);
    const profileChange = events.find((event) => event.action === 'USER_PROFILE_CHANGED' && event.targetId === MARC)!;
    // before/after are JSON objects, the actor the user who acted (visible to the DGOMR), the instant a DateTime.
    expect(profileChange).toMatchObject({
      targetType: 'User',
      actor: { id: ISABELLE, givenName: 'Isabelle' },
      before: expect.objectContaining({ givenName: 'Marc' }) as unknown,
      after: expect.objectContaining({ givenName: 'Marc-André' }) as unknown,
    });
    expect(Number.isNaN(Date.parse(profileChange.occurredAt))).toBe(false);
    const instants = events.map((event) => Date.parse(event.occurredAt));
    expect(instants).toEqual([...instants].sort((a, b) => b - a));
    expect(events.map((event) => event.action)).toEqual(expect.arrayContaining(['USER_CREATED', 'USER_SUSPENDED', 'USER_PROFILE_CHANGED']));
    expect(JSON.stringify(events)).not.toMatch(/argon2|password/i);

    const page = await identity.gql(`{ auditTrail(organizationId: "${MAGOG}", first: 2) { nodes { id } pageInfo { hasNextPage endCursor } } }`, {}, dgomr);
    expect(page.data!.auditTrail.pageInfo.hasNextPage).toBe(true);
    const next = await identity.gql(
      `query($c: String) { auditTrail(organizationId: "${MAGOG}", first: 2, after: $c) { nodes { id } pageInfo { hasPreviousPage } } }`,
      { c: page.data!.auditTrail.pageInfo.endCursor },
      dgomr,
    );
    expect(next.data!.auditTrail.pageInfo.hasPreviousPage).toBe(true);
    const ids = [...page.data!.auditTrail.nodes, ...next.data!.auditTrail.nodes].map((event: { id: string }) => event.id);
    expect(new Set(ids).size).toBe(4);

    for (const code of ['MAG0000002', 'SHE0000001', 'MAM0000002']) {
      const refused = await identity.gql(`{ auditTrail(organizationId: "${MAGOG}") { nodes { id } } }`, {}, await identity.as(code));
      expect(codeOf(refused)).toBe('FORBIDDEN');
      expect(refused.data).toEqual({ auditTrail: null });
    }
    // An unknown organization is answered exactly like one the caller may not read.
    const unknown = await identity.gql(`{ auditTrail(organizationId: "${stableId('organization', 'nowhere')}") { nodes { id } } }`, {}, dgomr);
    expect([codeOf(unknown), unknown.data]).toEqual(['FORBIDDEN', { auditTrail: null }]);
  });

  it("R20: an entry's actor is null for a viewer who may not see that user (another organization's RSÉ)", async () => {
    // Sherbrooke's RSÉ reads Sherbrooke's trail, where a CSE agent named someone: the agent is visible to no municipal user.
    const em = identity.subgraph.database.orm.em.fork();
    em.create(AuditEvent, {
      actorUserId: stableId('user', 'CSE0000001'),
      actorOrganizationId: stableId('organization', 'CSE-RQ'),
      organizationId: stableId('organization', 'MUN-43027'),
      action: 'RSE_NAMED',
      targetType: 'User',
      targetId: SOPHIE,
      after: { isRse: true },
    });
    await em.flush();
    const trail = await identity.gql(`{ auditTrail(organizationId: "${stableId('organization', 'MUN-43027')}", first: 100) { nodes { action actor { id } } } }`, {}, rseSherbrooke);
    expect(trail.errors).toBeUndefined();
    const named = (trail.data!.auditTrail.nodes as Array<{ action: string; actor: { id: string } | null }>).filter((event) => event.action === 'RSE_NAMED');
    expect(named).toEqual([{ action: 'RSE_NAMED', actor: null }]);
    const own = (trail.data!.auditTrail.nodes as Array<{ action: string; actor: { id: string } | null }>).find((event) => event.action !== 'RSE_NAMED');
    expect(own?.actor).toEqual({ id: SOPHIE });
  });

  it('is append-only: the database refuses to change or delete an entry', async () => {
    const connection = identity.subgraph.database.orm.em.fork().getConnection();
    await expect(connection.execute(`update audit_event set action = 'USER_CREATED'`)).rejects.toThrow(/append-only/);
    await expect(connection.execute('delete from audit_event')).rejects.toThrow(/append-only/);
  });
});
