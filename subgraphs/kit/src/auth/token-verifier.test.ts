import { errors as joseErrors, exportJWK, generateKeyPair, importJWK, SignJWT, type JWTVerifyGetKey } from 'jose';
import { generateKeyPairSync, sign as signWithNode, type KeyObject } from 'node:crypto';
import { createTokenVerifier, IDENTITY_TOKENS, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER, type TokenAcceptance } from './token-verifier';

/** Every check of an access token, one way to fail it each: nothing but what identity issues passes. */
describe('access token verification (R20: every hop verifies)', () => {
  const NOW = 1_800_000_000;
  let privateKey: CryptoKey;
  let otherKey: CryptoKey;
  let keys: JWTVerifyGetKey;

  beforeAll(async () => {
    const pair = await generateKeyPair(TOKEN_ALGORITHM, { extractable: true });
    privateKey = pair.privateKey;
    otherKey = (await generateKeyPair(TOKEN_ALGORITHM)).privateKey;
    const publicKey = await importJWK(await exportJWK(pair.publicKey), TOKEN_ALGORITHM);
    keys = async (header) => {
      if (header.kid !== 'k1') throw new joseErrors.JWKSNoMatchingKey();
      return publicKey;
    };
  });

  const claims = { org: 'org-1', roles: ['RSE'], sid: 'session-1' };
  const sign = (
    options: { key?: CryptoKey; kid?: string; issuer?: string; audience?: string; exp?: number; nbf?: number; payload?: Record<string, unknown> } = {},
  ) => {
    const jwt = new SignJWT(options.payload ?? claims)
      .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid: options.kid ?? 'k1', typ: 'at+jwt' })
      .setIssuer(options.issuer ?? TOKEN_ISSUER)
      .setAudience(options.audience ?? TOKEN_AUDIENCE)
      .setSubject('user-1')
      .setIssuedAt(NOW - 60)
      .setExpirationTime(options.exp ?? NOW + 600);
    if (options.nbf) jwt.setNotBefore(options.nbf);
    return jwt.sign(options.key ?? privateKey);
  };
  const verify = (token: string) => createTokenVerifier(keys, IDENTITY_TOKENS, () => NOW * 1000)(`Bearer ${token}`);

  it('accepts a token identity would issue, with its viewer', async () => {
    expect(await verify(await sign())).toMatchObject({
      status: 'authenticated',
      viewer: { userId: 'user-1', organizationId: 'org-1', roles: ['RSE'], sessionId: 'session-1', passwordChangeRequired: false },
    });
  });

  it('tells an expired token from an invalid one', async () => {
    expect(await verify(await sign({ exp: NOW }))).toEqual({ status: 'rejected', reason: 'expired' });
  });

  it.each([
    ['signed by another key under the same kid', () => sign({ key: otherKey })],
    ['signed by an unknown key', () => sign({ kid: 'k2' })],
    ['from another issuer', () => sign({ issuer: 'someone-else' })],
    ['for another audience', () => sign({ audience: 'another-api' })],
    ['not valid yet', () => sign({ nbf: NOW + 60 })],
    ['without a session', () => sign({ payload: { org: 'org-1', roles: [] } })],
    ['with a payload changed after signing', async () => {
      const [header, , signature] = (await sign()).split('.');
      const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'admin', iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, iat: NOW, exp: NOW + 600 })).toString('base64url');
      return `${header}.${forged}.${signature}`;
    }],
    ['with another algorithm', async () => {
      const secret = new TextEncoder().encode('a-shared-secret-of-32-bytes-long!');
      return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: 'k1' }).setIssuer(TOKEN_ISSUER).setAudience(TOKEN_AUDIENCE).setSubject('u').setIssuedAt(NOW).setExpirationTime(NOW + 600).sign(secret);
    }],
    ['unsigned', async () => {
      const [, payload] = (await sign()).split('.');
      return `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`;
    }],
    ['not a JWS at all', async () => 'abc.def'],
  ])('rejects a token %s as invalid', async (_case, token) => {
    expect(await verify(await token())).toEqual({ status: 'rejected', reason: 'invalid' });
  });

  it('tells an unreadable key set from a bad token: nothing is known, never "invalid" (an outage)', async () => {
    const token = await sign();
    for (const failure of [new TypeError('fetch failed'), new joseErrors.JWKSTimeout(), new joseErrors.JOSEError('Expected 200 OK'), new Error('connect ECONNREFUSED')]) {
      const unreadable: JWTVerifyGetKey = async () => {
        throw failure;
      };
      expect(await createTokenVerifier(unreadable, IDENTITY_TOKENS, () => NOW * 1000)(`Bearer ${token}`)).toEqual({ status: 'unavailable' });
    }
  });

  it('is anonymous without a header, and rejects a header that is not a bearer token', async () => {
    const verifyHeader = createTokenVerifier(keys, IDENTITY_TOKENS, () => NOW * 1000);
    expect(await verifyHeader(undefined)).toEqual({ status: 'anonymous' });
    expect(await verifyHeader(`Basic ${await sign()}`)).toEqual({ status: 'rejected', reason: 'invalid' });
  });
});

/** The gateway may accept another OpenID Connect provider's tokens: its issuer, algorithms and claim names. */
describe("another provider's tokens, by the accepted issuer, algorithms and claim names", () => {
  const NOW = 1_800_000_000;
  const ISSUER = 'https://sso.example.org/realms/mtmd';
  const acceptance: TokenAcceptance = {
    issuer: ISSUER,
    audience: 'pgamr-gateway',
    algorithms: ['RS256', 'PS256', 'ES384'],
    claims: { roles: 'realm_access.roles', organization: 'https://example.org/organization', direction: 'dir', sessionId: ['sid', 'jti'] },
  };
  const publicKeys = new Map<string, KeyObject>();
  const privateKeys = new Map<string, KeyObject>();
  const keys: JWTVerifyGetKey = async (header) => {
    const key = publicKeys.get(`${header.kid}`);
    if (!key) throw new joseErrors.JWKSNoMatchingKey();
    return key;
  };

  beforeAll(() => {
    const pairs = {
      RS256: generateKeyPairSync('rsa', { modulusLength: 2048 }),
      PS256: generateKeyPairSync('rsa', { modulusLength: 2048 }),
      ES384: generateKeyPairSync('ec', { namedCurve: 'P-384' }),
      ES256: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
      weak: generateKeyPairSync('rsa', { modulusLength: 1024 }),
    };
    for (const [kid, pair] of Object.entries(pairs)) {
      publicKeys.set(kid, pair.publicKey);
      privateKeys.set(kid, pair.privateKey);
    }
  });

  const providerClaims = { realm_access: { roles: ['RSE', 'offline_access'] }, 'https://example.org/organization': 'org-7', sid: 'kc-session' };
  const sign = (algorithm: string, payload: Record<string, unknown> = providerClaims, kid = algorithm) =>
    new SignJWT(payload)
      .setProtectedHeader({ alg: algorithm, kid })
      .setIssuer(ISSUER)
      .setAudience(['account', 'pgamr-gateway'])
      .setSubject('f:4d2c:marie')
      .setIssuedAt(NOW - 60)
      .setExpirationTime(NOW + 300)
      .sign(privateKeys.get(kid)!);
  const verify = (token: string) => createTokenVerifier(keys, acceptance, () => NOW * 1000)(`Bearer ${token}`);

  it.each(['RS256', 'PS256', 'ES384'])('accepts %s, with the viewer read from the mapped claims', async (algorithm) => {
    expect(await verify(await sign(algorithm))).toMatchObject({
      status: 'authenticated',
      viewer: { userId: 'f:4d2c:marie', organizationId: 'org-7', roles: ['RSE', 'offline_access'], sessionId: 'kc-session', passwordChangeRequired: false },
    });
  });

  it('takes the session id from jti without sid, and space-separated roles from a string claim', async () => {
    const { sid: _sid, ...withoutSid } = providerClaims;
    const token = await sign('RS256', { ...withoutSid, jti: 'token-9', realm_access: { roles: 'RSE MINISTRY_STAFF' } });
    expect(await verify(token)).toMatchObject({ status: 'authenticated', viewer: { sessionId: 'token-9', roles: ['RSE', 'MINISTRY_STAFF'] } });
  });

  it.each([
    ['signed with an algorithm not accepted', () => sign('ES256')],
    ['without its organization claim', () => sign('RS256', { realm_access: { roles: [] }, sid: 's' })],
    ['without roles where the mapping reads them', () => sign('RS256', { 'https://example.org/organization': 'org-7', sid: 's' })],
    ['with roles that are not strings', () => sign('RS256', { ...providerClaims, realm_access: { roles: [1, 2] } })],
    ['without a session id (neither sid nor jti)', () => sign('RS256', { realm_access: { roles: [] }, 'https://example.org/organization': 'org-7' })],
    ['with our own issuer', () => new SignJWT(providerClaims).setProtectedHeader({ alg: 'RS256', kid: 'RS256' }).setIssuer(TOKEN_ISSUER).setAudience('pgamr-gateway').setSubject('u').setIssuedAt(NOW).setExpirationTime(NOW + 60).sign(privateKeys.get('RS256')!)],
    ['signed with an RSA key shorter than 2048 bits', async () => {
      const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'weak' })).toString('base64url');
      const payload = Buffer.from(JSON.stringify({ ...providerClaims, iss: ISSUER, aud: 'pgamr-gateway', sub: 'u', iat: NOW, exp: NOW + 60 })).toString('base64url');
      const signature = signWithNode('sha256', Buffer.from(`${header}.${payload}`), privateKeys.get('weak')!).toString('base64url');
      return `${header}.${payload}.${signature}`;
    }],
  ])('rejects a token %s as invalid, never as anonymous', async (_case, token) => {
    expect(await verify(await token())).toEqual({ status: 'rejected', reason: 'invalid' });
  });
});
