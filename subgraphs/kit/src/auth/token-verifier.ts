import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Authentication, Viewer } from './viewer';

export { IdentityRole, unauthenticated, type Authentication, type Viewer } from './viewer';
export { cachedVerifier, type VerificationCacheOptions } from './verification-cache';

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
export function createTokenVerifier(keys: JWTVerifyGetKey): VerifyAuthorization {
  return async (authorizationHeader) => {
    if (!authorizationHeader) return { status: 'anonymous' };
    const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorizationHeader.trim());
    if (!match?.[1]) return { status: 'rejected', reason: 'invalid' };
    const token = match[1];
    try {
      const { payload } = await jwtVerify<AccessTokenClaims>(token, keys, {
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        algorithms: [TOKEN_ALGORITHM],
        requiredClaims: ['sub', 'exp', 'iat', 'sid'],
      });
      const viewer = viewerFromClaims(payload);
      return viewer ? { status: 'authenticated', viewer, token } : { status: 'rejected', reason: 'invalid' };
    } catch (error) {
      return { status: 'rejected', reason: error instanceof errors.JWTExpired ? 'expired' : 'invalid' };
    }
  };
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
