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

const auditCount = () => identity.subgraph.database.orm.em.fork().count(AuditEvent);

describe('R2: only an RSÉ of the organization administers its users', () => {
  it('an RSÉ creates a user with a generated code and a temporary password shown once', async () => {
    const created = await identity.gql(
      'mutation { createUser(input: { givenName: "Léa", familyName: "Poirier", email: "LEA.POIRIER@magog.ca " }) { user { id clicSequrCode email status isRse } temporaryPassword } }',
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
    ['updateUserProfile', `mutation($id: ID!, $p: UserProfileInput!) { updateUserProfile(userId: $id, input: $p) { id } }`],
    ['resetTemporaryPassword', `mutation($id: ID!) { resetTemporaryPassword(userId: $id) { temporaryPassword } }`],
    ['suspendUser', `mutation($id: ID!) { suspendUser(userId: $id, reason: "essai") { id } }`],
  ])('the RSÉ of organization B cannot %s a user of organization A', async (_name, mutation) => {
    const before = await auditCount();
    const refused = await identity.gql(mutation, { id: MARC, p: PROFILE }, rseSherbrooke);
    expect(codeOf(refused)).toBe('FORBIDDEN');
    expect(await auditCount()).toBe(before);
    const marcNow = await identity.subgraph.database.orm.em.fork().findOneOrFail(User, MARC);
    expect(marcNow).toMatchObject({ givenName: 'Marc', status: 'ACTIVE', passwordIsTemporary: false });
  });

  it('users do not edit their own profile, RSÉ included', async () => {
    for (const [headers, id] of [[marc, MARC], [rseMagog, ISABELLE]] as const) {
      const refused = await identity.gql('mutation($id: ID!, $p: UserProfileInput!) { updateUserProfile(userId: $id, input: $p) { id } }', { id, p: PROFILE }, headers);
      expect(codeOf(refused)).toBe('FORBIDDEN');
    }
  });

  it('an RSÉ updates a profile, with a clear French message for bad input and nothing written', async () => {
    const bad = await identity.gql(
      'mutation($id: ID!, $p: UserProfileInput!) { updateUserProfile(userId: $id, input: $p) { id } }',
      { id: MARC, p: { ...PROFILE, email: 'pas-un-courriel', givenName: '  ' } },
      rseMagog,
    );
    expect(bad.errors?.[0]).toMatchObject({
      message: 'Certains renseignements du profil sont invalides.',
      extensions: { code: 'BAD_USER_INPUT', fields: { email: "L'adresse courriel n'est pas valide.", givenName: expect.any(String) as string } },
    });
    const good = await identity.gql(
      'mutation($id: ID!, $p: UserProfileInput!) { updateUserProfile(userId: $id, input: $p) { givenName email phone } }',
      { id: MARC, p: PROFILE },
      rseMagog,
    );
    expect(good.data).toEqual({ updateUserProfile: { givenName: 'Marc-André', email: 'marc-andre.gagnon@magog.ca', phone: '819 843-6501' } });
  });

  it('unknown or malformed ids get NOT_FOUND', async () => {
    for (const id of [stableId('user', 'nobody'), 'pas-un-id']) {
      const response = await identity.gql('mutation($id: ID!) { reactivateUser(userId: $id) { id } }', { id }, rseMagog);
      expect(codeOf(response)).toBe('NOT_FOUND');
    }
  });
});

describe('R2: suspension', () => {
  it('the last active RSÉ cannot be suspended; with a second RSÉ, one RSÉ suspends the other', async () => {
    // Sherbrooke has a single RSÉ: nobody can suspend her (she cannot act on herself either).
    const self = await identity.gql('mutation($id: ID!) { suspendUser(userId: $id, reason: "essai") { id } }', { id: SOPHIE }, rseSherbrooke);
    expect(codeOf(self)).toBe('FORBIDDEN');

    const second = await identity.gql(
      'mutation { createUser(input: { givenName: "Éric", familyName: "Dion", email: "eric.dion@sherbrooke.ca", isRse: true }) { user { id } } }',
      {},
      rseSherbrooke,
    );
    const eric = second.data!.createUser.user.id as string;
    const suspended = await identity.gql('mutation($id: ID!) { suspendUser(userId: $id, reason: "Départ") { status } }', { id: eric }, rseSherbrooke);
    expect(suspended.data).toEqual({ suspendUser: { status: 'SUSPENDED' } });
    // Éric suspended, Sophie is again the last active RSÉ: still not suspendable by anyone.
    const reactivated = await identity.gql('mutation($id: ID!) { reactivateUser(userId: $id) { status } }', { id: eric }, rseSherbrooke);
    expect(reactivated.data).toEqual({ reactivateUser: { status: 'ACTIVE' } });
  });

  it('two RSÉ suspending each other at once: one wins, the other gets CONFLICT, one RSÉ stays active', async () => {
    const created = await identity.gql(
      'mutation { createUser(input: { givenName: "Karine", familyName: "Lévesque", email: "karine@magog.ca", isRse: true }) { user { id clicSequrCode } temporaryPassword } }',
      {},
      rseMagog,
    );
    const karine = created.data!.createUser;
    const temporary = await identity.as(karine.user.clicSequrCode, karine.temporaryPassword);
    await identity.gql('mutation($p: String!) { changePassword(currentPassword: $p, newPassword: "Rue-Sherbrooke-1888") { accessToken } }', { p: karine.temporaryPassword }, temporary);
    const karineHeaders = await identity.as(karine.user.clicSequrCode, 'Rue-Sherbrooke-1888');
    const isabelleHeaders = await identity.as('MAG0000001');
    const before = await auditCount();

    const suspend = 'mutation($id: ID!) { suspendUser(userId: $id, reason: "Réorganisation") { status } }';
    const outcomes = await Promise.all([
      identity.gql(suspend, { id: karine.user.id }, isabelleHeaders),
      identity.gql(suspend, { id: ISABELLE }, karineHeaders),
    ]);
    const codes = outcomes.map((outcome) => (outcome.errors ? codeOf(outcome) : 'OK')).sort();
    expect(codes).toEqual(['CONFLICT', 'OK']);
    expect(outcomes.find((outcome) => outcome.errors)?.errors?.[0]?.message).toBe("Impossible de suspendre le dernier RSÉ actif de l'organisation.");
    const activeRse = await identity.subgraph.database.orm.em.fork().count(User, { organization: MAGOG, isRse: true, status: UserStatus.Active });
    expect(activeRse).toBe(1);
    expect(await auditCount()).toBe(before + 1);

    // Restore Isabelle if she was the one suspended, for the tests that follow.
    if (codes[1] === 'OK' && outcomes[1].data) {
      await identity.gql('mutation($id: ID!) { reactivateUser(userId: $id) { status } }', { id: ISABELLE }, karineHeaders);
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
    await identity.gql('mutation($id: ID!) { suspendUser(userId: $id, reason: "Départ") { status } }', { id: paul.user.id }, await identity.as('MAG0000001'));
    const after = await identity.gql('mutation($p: String!) { changePassword(currentPassword: $p, newPassword: "Rue-Principale-2026") { accessToken } }', { p: paul.temporaryPassword }, paulHeaders);
    expect(codeOf(after)).toBe('UNAUTHENTICATED');
    const again = await identity.gql('mutation($c: String!, $p: String!) { signIn(clicSequrCode: $c, password: $p) { accessToken } }', { c: paul.user.clicSequrCode, p: paul.temporaryPassword });
    expect(codeOf(again)).toBe('FORBIDDEN');
    expect(again.errors?.[0]?.message).toMatch(/suspendu/);
  });
});

describe('R20: who sees which user', () => {
  it('a user of another organization sees neither the user nor the list', async () => {
    const other = await identity.gql(`{ user(id: "${MARC}") { givenName } organization(id: "${MAGOG}") { users { id } } }`, {}, rseSherbrooke);
    expect(other.data?.user).toBeNull();
    expect(other.data?.organization).toBeNull();
    expect(codeOf(other)).toBe('FORBIDDEN');
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
    const dgomr = await identity.gql(`{ organization(id: "${MAGOG}") { users { familyName email } } }`, {}, await identity.as('MAM0000001'));
    expect(dgomr.errors).toBeUndefined();
    expect(dgomr.data!.organization.users.length).toBeGreaterThan(1);
    const dgi = await identity.gql(`{ organization(id: "${MAGOG}") { users { familyName } } }`, {}, await identity.as('MAM0000002'));
    expect(codeOf(dgi)).toBe('FORBIDDEN');
  });
});

describe('R21: the audit trail', () => {
  it('records who changed what, before and after, readable by the RSÉ and DGOMR, not by others', async () => {
    const trail = await identity.gql(
      `{ auditTrail(organizationId: "${MAGOG}", first: 50) { events { action actorUserId targetId before after } nextCursor } }`,
      {},
      await identity.as('MAM0000001'),
    );
    expect(trail.errors).toBeUndefined();
    const events = trail.data!.auditTrail.events as Array<{ action: string; targetId: string; before: string | null; after: string | null }>;
    const profileChange = events.find((event) => event.action === 'USER_PROFILE_CHANGED' && event.targetId === MARC)!;
    expect(JSON.parse(profileChange.before!)).toMatchObject({ givenName: 'Marc' });
    expect(JSON.parse(profileChange.after!)).toMatchObject({ givenName: 'Marc-André' });
    expect(events.map((event) => event.action)).toEqual(expect.arrayContaining(['USER_CREATED', 'USER_SUSPENDED', 'USER_PROFILE_CHANGED']));
    expect(JSON.stringify(events)).not.toMatch(/argon2|password/i);

    const page = await identity.gql(`{ auditTrail(organizationId: "${MAGOG}", first: 2) { events { id } nextCursor } }`, {}, await identity.as('MAM0000001'));
    const next = await identity.gql(
      `query($c: String) { auditTrail(organizationId: "${MAGOG}", first: 2, after: $c) { events { id } } }`,
      { c: page.data!.auditTrail.nextCursor },
      await identity.as('MAM0000001'),
    );
    const ids = [...page.data!.auditTrail.events, ...next.data!.auditTrail.events].map((event: { id: string }) => event.id);
    expect(new Set(ids).size).toBe(4);

    for (const code of ['MAG0000002', 'SHE0000001', 'MAM0000002']) {
      const refused = await identity.gql(`{ auditTrail(organizationId: "${MAGOG}") { events { id } } }`, {}, await identity.as(code));
      expect(codeOf(refused)).toBe('FORBIDDEN');
    }
  });

  it('is append-only: the database refuses to change or delete an entry', async () => {
    const connection = identity.subgraph.database.orm.em.fork().getConnection();
    await expect(connection.execute(`update audit_event set action = 'USER_CREATED'`)).rejects.toThrow(/append-only/);
    await expect(connection.execute('delete from audit_event')).rejects.toThrow(/append-only/);
  });
});
