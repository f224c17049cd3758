import { createTestDatabase, offsetClock, templateKeyOf } from '@pgamr/kit/testing';
import { identitySubgraph } from '../src/server';
import { codeOf, startIdentity, type IdentityUnderTest } from './support';

const LOCKOUT_THRESHOLD = 3;
let identity: IdentityUnderTest;
/** Identity's clock: the wall clock's time until a test moves it past a lockout. */
const clock = offsetClock();

beforeAll(async () => {
  identity = await startIdentity({ lockoutThreshold: LOCKOUT_THRESHOLD, lockoutSeconds: 600 }, { clock });
});

afterAll(async () => {
  await identity?.subgraph.close();
});

const SIGN_IN = `mutation($input: SignInInput!) {
  signIn(input: $input) { session { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt passwordChangeRequired } } }`;
const REFRESH = 'mutation($t: String!) { refreshSession(input: { refreshToken: $t }) { session { accessToken refreshToken } } }';
const CHANGE_PASSWORD = `mutation($o: String!, $n: String!) {
  changePassword(input: { currentPassword: $o, newPassword: $n }) { session { accessToken refreshToken passwordChangeRequired } } }`;
const signIn = (code: string, password: string) => identity.gql(SIGN_IN, { input: { clicSequrCode: code, password } });
const errorOf = (response: { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }) => ({
  code: response.errors?.[0]?.extensions?.code,
  message: response.errors?.[0]?.message,
});

describe('R6: sign-in and lockout', () => {
  it('accepts a code typed in lower case with spaces', async () => {
    const response = await signIn('  mag0000002 ', 'Demo-PGAMR-2026!');
    expect(response.errors).toBeUndefined();
    expect(response.data!.signIn.session.passwordChangeRequired).toBe(false);
  });

  it('says when each token expires, as DateTime instants: the access token first, both in the future', async () => {
    const before = Date.now();
    const { session } = (await signIn('MAG0000002', 'Demo-PGAMR-2026!')).data!.signIn;
    const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
    expect([session.accessTokenExpiresAt, session.refreshTokenExpiresAt]).toEqual([expect.stringMatching(DATE_TIME), expect.stringMatching(DATE_TIME)]);
    const [access, refresh] = [Date.parse(session.accessTokenExpiresAt), Date.parse(session.refreshTokenExpiresAt)];
    expect(access).toBeGreaterThan(before);
    expect(refresh).toBeGreaterThan(access);
  });

  it('locks a code after repeated failures, and then refuses even the right password', async () => {
    for (let i = 0; i < LOCKOUT_THRESHOLD; i++) {
      expect(errorOf(await signIn('SHE0000001', 'mauvais'))).toEqual({ code: 'UNAUTHENTICATED', message: "Code d'utilisateur ou mot de passe invalide." });
    }
    const locked = await signIn('SHE0000001', 'Demo-PGAMR-2026!');
    expect(errorOf(locked)).toEqual({ code: 'TOO_MANY_ATTEMPTS', message: 'Trop de tentatives infructueuses. Réessayez dans 10 minutes.' });
    // Like every "try later" of the error catalog, the wait in seconds for the client (lockout of 600 s).
    const retryAfterSeconds = locked.errors?.[0]?.extensions?.retryAfterSeconds;
    expect(retryAfterSeconds).toBeGreaterThan(590);
    expect(retryAfterSeconds).toBeLessThanOrEqual(600);
    expect(locked.data ?? null).toBeNull();
  });

  it('R6: a lockout ends by itself once its time has passed, without waiting for it', async () => {
    for (let i = 0; i < LOCKOUT_THRESHOLD; i++) expect(codeOf(await signIn('MAG0000004', 'mauvais'))).toBe('UNAUTHENTICATED');
    expect(codeOf(await signIn('MAG0000004', 'Demo-PGAMR-2026!'))).toBe('TOO_MANY_ATTEMPTS');
    clock.advance(599_000);
    try {
      expect(codeOf(await signIn('MAG0000004', 'Demo-PGAMR-2026!'))).toBe('TOO_MANY_ATTEMPTS');
      clock.advance(2_000);
      const signedIn = await signIn('MAG0000004', 'Demo-PGAMR-2026!');
      expect(signedIn.errors).toBeUndefined();
      // Its tokens are dated on the same clock.
      expect(Date.parse(signedIn.data!.signIn.session.accessTokenExpiresAt)).toBeGreaterThan(clock.now().getTime());
    } finally {
      clock.advance(-601_000);
    }
  });

  it('answers an unknown code exactly as a known one, lockout included: existence is never revealed', async () => {
    const answers = async (code: string) => {
      const seen = [];
      for (let i = 0; i <= LOCKOUT_THRESHOLD; i++) seen.push(errorOf(await signIn(code, 'mauvais')));
      return seen;
    };
    expect(await answers('ZZZ9999999')).toEqual(await answers('GCE0000002'));
  });
});

describe('R1: temporary passwords', () => {
  it('a temporary password only allows setting a personal one that meets the policy', async () => {
    const rse = await identity.as('MAG0000001');
    const created = await identity.gql('mutation { createUser(input: { givenName: "Léo", familyName: "Fortier", email: "leo@magog.ca" }) { user { clicSequrCode } temporaryPassword } }', {}, rse);
    const { user, temporaryPassword } = created.data!.createUser;
    const first = await signIn(user.clicSequrCode, temporaryPassword);
    expect(first.data!.signIn.session.passwordChangeRequired).toBe(true);
    const restricted = { authorization: `Bearer ${first.data!.signIn.session.accessToken}` };

    expect(codeOf(await identity.gql('{ me { id } }', {}, restricted))).toBe('PASSWORD_CHANGE_REQUIRED');
    expect(codeOf(await identity.gql('{ municipalBodies { nodes { name } } }', {}, restricted))).toBe('PASSWORD_CHANGE_REQUIRED');

    const change = (newPassword: string) => identity.gql(CHANGE_PASSWORD, { o: temporaryPassword, n: newPassword }, restricted);
    for (const weak of ['court', 'toutenminuscules', `Fortier-${'x'.repeat(8)}1`, `${user.clicSequrCode}-Aa1`]) {
      const refused = await change(weak);
      expect(errorOf(refused)).toEqual({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/au moins 12 caractères/) as string });
      expect(refused.errors?.[0]?.extensions?.field).toBe('input.newPassword');
    }
    const wrongCurrent = await identity.gql(CHANGE_PASSWORD, { o: 'pas-le-bon', n: 'Pont-Couvert-1887' }, restricted);
    expect(wrongCurrent.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.currentPassword' });

    const done = await change('Pont-Couvert-1887');
    expect(done.data!.changePassword.session.passwordChangeRequired).toBe(false);
    const me = await identity.gql('{ me { givenName } }', {}, { authorization: `Bearer ${done.data!.changePassword.session.accessToken}` });
    expect(me.data).toEqual({ me: { givenName: 'Léo' } });
    // The temporary password is gone.
    expect(codeOf(await signIn(user.clicSequrCode, temporaryPassword))).toBe('UNAUTHENTICATED');
  });
});

describe('refresh tokens and sign-out', () => {
  it('rotates refresh tokens; reusing an old one revokes the whole session', async () => {
    const first = (await signIn('GCE0000001', 'Demo-PGAMR-2026!')).data!.signIn.session;
    const second = (await identity.gql(REFRESH, { t: first.refreshToken })).data!.refreshSession.session;
    expect(second.refreshToken).not.toBe(first.refreshToken);

    const reuse = await identity.gql(REFRESH, { t: first.refreshToken });
    expect(codeOf(reuse)).toBe('UNAUTHENTICATED');
    // The session is revoked: the newer refresh token and the access tokens die with it.
    expect(codeOf(await identity.gql(REFRESH, { t: second.refreshToken }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await identity.gql('{ me { id } }', {}, { authorization: `Bearer ${second.accessToken}` }))).toBe('UNAUTHENTICATED');
  });

  it('sign-out makes the refresh token worthless', async () => {
    const session = (await signIn('GCE0000001', 'Demo-PGAMR-2026!')).data!.signIn.session;
    const before = Date.now();
    const out = await identity.gql('mutation { signOut { signedOutAt } }', {}, { authorization: `Bearer ${session.accessToken}` });
    expect(out.errors).toBeUndefined();
    expect(Date.parse(out.data!.signOut.signedOutAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(codeOf(await identity.gql(REFRESH, { t: session.refreshToken }))).toBe('UNAUTHENTICATED');
  });
});

describe('secrets in clear: nowhere', () => {
  it('no password or refresh token in the database or the logs', async () => {
    const rse = await identity.as('MAG0000001');
    const created = await identity.gql('mutation { createUser(input: { givenName: "Zoé", familyName: "Hébert", email: "zoe@magog.ca" }) { user { clicSequrCode } temporaryPassword } }', {}, rse);
    const { user, temporaryPassword } = created.data!.createUser;
    const session = (await signIn(user.clicSequrCode, temporaryPassword)).data!.signIn.session;
    const newPassword = 'Mont-Orford-Sommet-853';
    await identity.gql(CHANGE_PASSWORD, { o: temporaryPassword, n: newPassword }, { authorization: `Bearer ${session.accessToken}` });
    const secrets = [temporaryPassword, newPassword, session.refreshToken, 'Demo-PGAMR-2026!'];

    const connection = identity.subgraph.database.orm.em.fork().getConnection();
    const tables = (await connection.execute<Array<{ tablename: string }>>("select tablename from pg_tables where schemaname = 'public'")).map((row) => row.tablename);
    expect(tables).toEqual(expect.arrayContaining(['app_user', 'refresh_token', 'audit_event', 'signing_key']));
    let dump = '';
    for (const table of tables) dump += JSON.stringify(await connection.execute(`select * from "${table}"`));
    expect(dump).toContain(user.clicSequrCode);
    for (const secret of secrets) expect(dump).not.toContain(secret);

    const logs = identity.logLines.join('\n');
    expect(logs).toContain('request'); // the subgraph logs at debug level, SQL parameters included
    for (const secret of secrets) expect(logs).not.toContain(secret);
  });
});

describe('R1: setting a personal password with a pool of one connection', () => {
  it('never asks the pool for a second connection inside its transaction, even when the signing keys must be read again', async () => {
    // Keys reread on every use: the read that issues the new tokens happens inside the transaction,
    // which would wait for ever on a second connection from a pool that has only one.
    const database = await createTestDatabase('identity-one-connection', templateKeyOf(identitySubgraph, true));
    if (database.connection.kind !== 'postgresql') throw new Error('a test database is reached by URL');
    const embedded = await startIdentity({ signingKeyCacheMs: 0 }, { database: { ...database.connection, maxConnections: 1 } }).catch(async (error: unknown) => {
      await database.drop();
      throw error;
    });
    try {
      const rse = await embedded.as('MAG0000001');
      const created = await embedded.gql(
        'mutation { createUser(input: { givenName: "Une", familyName: "Connexion", email: "une.connexion@magog.ca" }) { user { clicSequrCode } temporaryPassword } }',
        {},
        rse,
      );
      const { user, temporaryPassword } = created.data!.createUser as { user: { clicSequrCode: string }; temporaryPassword: string };
      const first = await embedded.as(user.clicSequrCode, temporaryPassword);
      const changed = await embedded.gql(CHANGE_PASSWORD, { o: temporaryPassword, n: 'Lac-Memphrémagog-2026' }, first);
      expect(changed.errors).toBeUndefined();
      expect(changed.data!.changePassword.session.passwordChangeRequired).toBe(false);
      const me = await embedded.gql('{ me { clicSequrCode } }', {}, { authorization: `Bearer ${changed.data!.changePassword.session.accessToken as string}` });
      expect(me.data).toEqual({ me: { clicSequrCode: user.clicSequrCode } });
    } finally {
      await embedded.subgraph.close();
      await database.drop();
    }
  });
});
