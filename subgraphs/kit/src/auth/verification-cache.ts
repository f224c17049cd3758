import type { VerifyAuthorization } from './token-verifier';
import type { Authentication } from './viewer';
import { decodeJwt } from 'jose';

/** About 20 MB at most: far more users than one process serves in a token's life. */
const DEFAULT_MAX_ENTRIES = 50_000;

export interface VerificationCacheOptions {
  /** Tokens remembered at once (default 50,000); the least recently used goes first. */
  maxEntries?: number;
  /**
   * Longest time a verified token is trusted without checking its signature again. It bounds how
   * long a signing key withdrawn from identity's key set keeps being accepted here. 0: no cache.
   */
  maxAgeMs: number;
}

interface CachedVerification {
  auth: Authentication;
  expiresAt: number;
}

/**
 * Remembers the tokens that verified, so a user's requests during a token's life cost one
 * signature check per `maxAgeMs` instead of one (ES256, the gateway's costliest step) per
 * request. Only successes are kept, never past the token's own expiry; anything else is verified
 * every time.
 */
export function cachedVerifier(verify: VerifyAuthorization, options: VerificationCacheOptions, now = Date.now): VerifyAuthorization {
  if (options.maxAgeMs <= 0) return verify;
  // A Map iterates in insertion order: re-inserting on a hit makes it an LRU.
  const verified = new Map<string, CachedVerification>();
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  return async (authorizationHeader) => {
    if (!authorizationHeader) return verify(authorizationHeader);
    const cached = verified.get(authorizationHeader);
    if (cached) {
      verified.delete(authorizationHeader);
      if (cached.expiresAt > now()) {
        verified.set(authorizationHeader, cached);
        return cached.auth;
      }
    }
    const auth = await verify(authorizationHeader);
    if (auth.status !== 'authenticated') return auth;
    const { exp } = decodeJwt(auth.token);
    const expiresAt = Math.min(now() + options.maxAgeMs, (exp ?? 0) * 1000);
    verified.set(authorizationHeader, { auth, expiresAt });
    if (verified.size > maxEntries) verified.delete(verified.keys().next().value!);
    return auth;
  };
}
