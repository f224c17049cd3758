import { KeyObject, verify as verifySignature } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors, type CompactJWSHeaderParameters, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Authentication, Viewer } from './viewer';

export { IdentityRole, unauthenticated, type Authentication, type Viewer } from './viewer';
export { cachedVerifier, type VerificationCacheOptions } from './verification-cache';
export { remoteSessionStatus, sessionChecker, SESSION_STATUS_PATH, withSessionCheck } from './session-status';

/** Issuer and audience of the portal's access tokens; every hop checks both. */
export const TOKEN_ISSUER = 'pgamr-identity';
export const TOKEN_AUDIENCE = 'pgamr-api';
export const TOKEN_ALGORITHM = 'ES256';

/** The claims identity puts in an access token, beside the registered ones. */
export interface AccessTokenClaims extends JWTPayload {
  org: string;
  roles: string[];
  dir?: string;
  sid: string;
  /** Password change required (R1). */
  pcr?: boolean;
}

export type VerifyAuthorization = (authorizationHeader: string | undefined) => Promise<Authentication>;

/**
 * The identity subgraph's published key set (JWKS), fetched once and cached; a token signed by a
 * key not yet seen triggers one refetch (at most once per `cooldownMs`), so key rotation needs
 * no restart anywhere.
 */
export function remoteKeySet(jwksUrl: string, cooldownMs = 30_000): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(jwksUrl), {
    cooldownDuration: cooldownMs,
    cacheMaxAge: 10 * 60_000,
    timeoutDuration: 5_000,
  });
}

/**
 * Verifies the `Authorization: Bearer …` header of a request: signature against the key set,
 * algorithm, issuer, audience, expiry. No header is anonymous; anything else that does not
 * verify is rejected, never downgraded to anonymous silently by a resolver.
 */
export function createTokenVerifier(keys: JWTVerifyGetKey, now: () => number = Date.now): VerifyAuthorization {
  return async (authorizationHeader) => {
    if (!authorizationHeader) return { status: 'anonymous' };
    const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorizationHeader.trim());
    if (!match?.[1]) return { status: 'rejected', reason: 'invalid' };
    const token = match[1];
    try {
      const viewer = viewerFromClaims(await verifiedClaims(token, keys, Math.floor(now() / 1000)));
      return viewer ? { status: 'authenticated', viewer, token } : { status: 'rejected', reason: 'invalid' };
    } catch (error) {
      if (error instanceof KeySetUnavailable) return { status: 'unavailable' };
      return { status: 'rejected', reason: error instanceof ExpiredToken ? 'expired' : 'invalid' };
    }
  };
}

class ExpiredToken extends Error {}

/** The key set could not be read (identity down, slow, answering garbage): nothing is known of the token. */
class KeySetUnavailable extends Error {}

/**
 * What a key set's refusals mean: no key for the token's `kid` (or an ambiguous or unsupported
 * one) is the token's fault; any other failure to produce a key (a network error, a time-out, a
 * non-200 or malformed key set, a database error in identity's own store) is the key set's.
 */
async function keyFor(keys: JWTVerifyGetKey, header: CompactJWSHeaderParameters, token: { payload: string; signature: string }) {
  try {
    return await keys(header, token);
  } catch (error) {
    const tokensFault =
      error instanceof joseErrors.JWKSNoMatchingKey ||
      error instanceof joseErrors.JWKSMultipleMatchingKeys ||
      error instanceof joseErrors.JOSENotSupported;
    if (tokensFault) throw error;
    throw new KeySetUnavailable('key set unavailable', { cause: error });
  }
}

/**
 * The claims of a compact ES256 JWS whose signature, issuer, audience and dates hold. The
 * signature is checked with node:crypto, synchronously: WebCrypto's asynchronous verify (what
 * jose uses) costs three times as much, and every gateway request and subgraph call pays it.
 * The key comes from the key set, chosen by `kid` as jose does. Only what identity issues is
 * accepted: ES256, no `crit`, no unencoded payload.
 */
async function verifiedClaims(token: string, keys: JWTVerifyGetKey, nowSeconds: number): Promise<AccessTokenClaims> {
  const [encodedHeader, encodedPayload, encodedSignature, ...rest] = token.split('.');
  if (!encodedHeader || !encodedPayload || !encodedSignature || rest.length > 0) throw new Error('not a compact JWS');
  const header = jsonObject(encodedHeader) as CompactJWSHeaderParameters;
  if (header.alg !== TOKEN_ALGORITHM || header.crit !== undefined || header.b64 !== undefined) throw new Error('unexpected header');
  const key = await keyFor(keys, header, { payload: encodedPayload, signature: encodedSignature });
  const signed = Buffer.from(`${encodedHeader}.${encodedPayload}`);
  const signature = Buffer.from(encodedSignature, 'base64url');
  if (!verifySignature('sha256', signed, { key: keyObjectOf(key), dsaEncoding: 'ieee-p1363' }, signature)) {
    throw new Error('bad signature');
  }
  const claims = jsonObject(encodedPayload) as AccessTokenClaims;
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (claims.iss !== TOKEN_ISSUER || !audiences.includes(TOKEN_AUDIENCE)) throw new Error('not for us');
  if (typeof claims.iat !== 'number' || typeof claims.exp !== 'number') throw new Error('dates missing');
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > nowSeconds)) throw new Error('not yet valid');
  if (claims.exp <= nowSeconds) throw new ExpiredToken();
  return claims;
}

function jsonObject(encoded: string): Record<string, unknown> {
  const value: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
  return value as Record<string, unknown>;
}

/** Key sets hand out WebCrypto keys; node:crypto wants a KeyObject, converted once per key. */
const keyObjects = new WeakMap<object, KeyObject>();

function keyObjectOf(key: unknown): KeyObject {
  if (key instanceof KeyObject) return key;
  if (!(key instanceof CryptoKey)) throw new Error('unexpected key type');
  let keyObject = keyObjects.get(key);
  if (!keyObject) keyObjects.set(key, (keyObject = KeyObject.from(key)));
  return keyObject;
}

function viewerFromClaims(claims: AccessTokenClaims): Viewer | undefined {
  const roles: unknown = claims.roles;
  if (typeof claims.sub !== 'string' || typeof claims.org !== 'string' || typeof claims.sid !== 'string') return undefined;
  if (!Array.isArray(roles) || !roles.every((role) => typeof role === 'string')) return undefined;
  return {
    userId: claims.sub,
    organizationId: claims.org,
    roles,
    ...(typeof claims.dir === 'string' ? { direction: claims.dir } : {}),
    sessionId: claims.sid,
    passwordChangeRequired: claims.pcr === true,
  };
}
