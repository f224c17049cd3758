import { errors as joseErrors, exportJWK, generateKeyPair, importJWK, SignJWT, type JWTVerifyGetKey } from 'jose';
import { createTokenVerifier, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from './token-verifier';

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
  const verify = (token: string) => createTokenVerifier(keys, () => NOW * 1000)(`Bearer ${token}`);

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
      expect(await createTokenVerifier(unreadable, () => NOW * 1000)(`Bearer ${token}`)).toEqual({ status: 'unavailable' });
    }
  });

  it('is anonymous without a header, and rejects a header that is not a bearer token', async () => {
    const verifyHeader = createTokenVerifier(keys, () => NOW * 1000);
    expect(await verifyHeader(undefined)).toEqual({ status: 'anonymous' });
    expect(await verifyHeader(`Basic ${await sign()}`)).toEqual({ status: 'rejected', reason: 'invalid' });
  });
});
