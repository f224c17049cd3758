import { constants, KeyObject, verify as verifySignature, type VerifyKeyObjectInput } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors, type CompactJWSHeaderParameters, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Authentication, Viewer } from './viewer';

export { IdentityRole, ServiceRole } from '../catalog/vocabulary';
export { unauthenticated, type Authentication, type Viewer } from './viewer';
export { cachedVerifier, type VerificationCacheOptions } from './verification-cache';
export { remoteSessionStatus, sessionChecker, SESSION_STATUS_PATH, withSessionCheck } from './session-status';
export {
  generateSessionAssertionSecret,
  readSessionAssertionSecret,
  SESSION_ASSERTION_HEADER,
  SESSION_ASSERTION_SECRET_VARIABLE,
  sessionAssertions,
  type SessionAssertions,
} from './session-assertion';

/** Issuer and audience of the portal's access tokens; every hop checks both. */
export const TOKEN_ISSUER = 'pgamr-identity';
export const TOKEN_AUDIENCE = 'pgamr-api';
export const TOKEN_ALGORITHM = 'ES256';

/**
 * The signature algorithms a verifier may be told to accept: the asymmetric ones of OpenID
 * Connect providers. Never `none`, never HS*: with a shared secret, every hop that verifies
 * could also sign.
 */
export const ACCEPTABLE_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const;
export type TokenAlgorithm = (typeof ACCEPTABLE_ALGORITHMS)[number];

/** Whether `algorithm` (a JWS `alg`) is one a verifier may be told to accept. */
export const isAcceptableAlgorithm = (algorithm: string): algorithm is TokenAlgorithm =>
  (ACCEPTABLE_ALGORITHMS as readonly string[]).includes(algorithm);

/**
 * Where a token's claims put what a Viewer needs. A name is a claim, or a dotted path into
 * nested objects (Keycloak's `realm_access.roles`); a claim whose own name has dots (a namespaced
 * `https://…/roles`) is found by its whole name first.
 */
export interface ClaimNames {
  /** An array of strings, or one string of space-separated values (like `scope`). */
  roles: string;
  organization: string;
  direction: string;
  /** The first of these that is a string is the session id. */
  sessionId: readonly string[];
}

/** Which tokens a verifier accepts: whose, for whom, how signed, and how their claims read. */
export interface TokenAcceptance {
  issuer: string;
  audience: string;
  algorithms: readonly TokenAlgorithm[];
  claims: ClaimNames;
}

/** The claims identity issues (see AccessTokenClaims). */
export const IDENTITY_CLAIMS: ClaimNames = { roles: 'roles', organization: 'org', direction: 'dir', sessionId: ['sid'] };

/** Identity's access tokens: what every subgraph accepts, and the gateway by default. */
export const IDENTITY_TOKENS: TokenAcceptance = {
  issuer: TOKEN_ISSUER,
  audience: TOKEN_AUDIENCE,
  algorithms: [TOKEN_ALGORITHM],
  claims: IDENTITY_CLAIMS,
};

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
 * A published key set (JWKS): identity's, or the provider's whose tokens the gateway accepts;
 * fetched once and cached; a token signed by a
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
 * algorithm, issuer, audience, expiry, then the claims a Viewer needs. No header is anonymous;
 * anything else that does not verify, or whose claims make no Viewer, is rejected, never
 * downgraded to anonymous silently by a resolver.
 */
export function createTokenVerifier(keys: JWTVerifyGetKey, acceptance: TokenAcceptance = IDENTITY_TOKENS, now: () => number = Date.now): VerifyAuthorization {
  return async (authorizationHeader) => {
    if (!authorizationHeader) return { status: 'anonymous' };
    const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorizationHeader.trim());
    if (!match?.[1]) return { status: 'rejected', reason: 'invalid' };
    const token = match[1];
    try {
      const viewer = viewerFromClaims(await verifiedClaims(token, keys, acceptance, Math.floor(now() / 1000)), acceptance.claims);
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
 * The claims of a compact JWS whose signature, issuer, audience and dates hold. The signature is
 * checked with node:crypto, synchronously: WebCrypto's asynchronous verify (what jose uses) costs
 * three times as much, and every gateway request and subgraph call pays it. The key comes from
 * the key set, chosen by `kid` and algorithm as jose does. Only the accepted algorithms pass, no
 * `crit`, no unencoded payload.
 */
async function verifiedClaims(token: string, keys: JWTVerifyGetKey, acceptance: TokenAcceptance, nowSeconds: number): Promise<JWTPayload> {
  const [encodedHeader, encodedPayload, encodedSignature, ...rest] = token.split('.');
  if (!encodedHeader || !encodedPayload || !encodedSignature || rest.length > 0) throw new Error('not a compact JWS');
  const header = jsonObject(encodedHeader) as CompactJWSHeaderParameters;
  const algorithm = header.alg;
  if (!acceptance.algorithms.some((accepted) => accepted === algorithm) || header.crit !== undefined || header.b64 !== undefined) {
    throw new Error('unexpected header');
  }
  const check = SIGNATURE_CHECKS[algorithm as TokenAlgorithm];
  const key = keyObjectOf(await keyFor(keys, header, { payload: encodedPayload, signature: encodedSignature }));
  if (!check.fits(key)) throw new Error('key does not fit the algorithm');
  const signed = Buffer.from(`${encodedHeader}.${encodedPayload}`);
  const signature = Buffer.from(encodedSignature, 'base64url');
  if (!verifySignature(check.hash, signed, { key, ...check.options }, signature)) throw new Error('bad signature');
  const claims = jsonObject(encodedPayload) as JWTPayload;
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (claims.iss !== acceptance.issuer || !audiences.includes(acceptance.audience)) throw new Error('not for us');
  if (typeof claims.iat !== 'number' || typeof claims.exp !== 'number') throw new Error('dates missing');
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > nowSeconds)) throw new Error('not yet valid');
  if (claims.exp <= nowSeconds) throw new ExpiredToken();
  return claims;
}

interface SignatureCheck {
  hash: string;
  options: Omit<VerifyKeyObjectInput, 'key'>;
  /** Whether a key may verify this algorithm: its type, an RSA modulus of 2048 bits or more, an EC key's curve. */
  fits(key: KeyObject): boolean;
}

const rsa = (hash: string, options: Omit<VerifyKeyObjectInput, 'key'>): SignatureCheck => ({
  hash,
  options,
  fits: (key) =>
    (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048,
});
const pkcs1 = { padding: constants.RSA_PKCS1_PADDING };
const pss = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
const ecdsa = (hash: string, curve: string): SignatureCheck => ({
  hash,
  // JWS signatures are r‖s, not DER.
  options: { dsaEncoding: 'ieee-p1363' },
  fits: (key) => key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === curve,
});

const SIGNATURE_CHECKS: Readonly<Record<TokenAlgorithm, SignatureCheck>> = {
  RS256: rsa('sha256', pkcs1),
  RS384: rsa('sha384', pkcs1),
  RS512: rsa('sha512', pkcs1),
  PS256: rsa('sha256', pss),
  PS384: rsa('sha384', pss),
  PS512: rsa('sha512', pss),
  ES256: ecdsa('sha256', 'prime256v1'),
  ES384: ecdsa('sha384', 'secp384r1'),
  ES512: ecdsa('sha512', 'secp521r1'),
};

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

/**
 * The Viewer a token's claims describe, by the accepted claim names; undefined when one it needs
 * is missing or malformed (the token is then rejected, never anonymous).
 */
function viewerFromClaims(claims: JWTPayload, names: ClaimNames): Viewer | undefined {
  const organizationId = claimAt(claims, names.organization);
  const roles = rolesOf(claimAt(claims, names.roles));
  const direction = claimAt(claims, names.direction);
  const sessionId = names.sessionId.map((name) => claimAt(claims, name)).find((value) => typeof value === 'string');
  if (typeof claims.sub !== 'string' || typeof organizationId !== 'string' || typeof sessionId !== 'string' || !roles) return undefined;
  return {
    userId: claims.sub,
    organizationId,
    roles,
    ...(typeof direction === 'string' ? { direction } : {}),
    sessionId,
    passwordChangeRequired: claims.pcr === true,
  };
}

function claimAt(claims: JWTPayload, name: string): unknown {
  if (Object.hasOwn(claims, name)) return claims[name];
  let value: unknown = claims;
  for (const step of name.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, step)) return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

function rolesOf(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.split(' ').filter((role) => role.length > 0);
  if (Array.isArray(value) && value.every((role) => typeof role === 'string')) return value;
  return undefined;
}
