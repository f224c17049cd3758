import { ConfigurationError, configurationIssues, frenchValidationMessages } from '@pgamr/kit/environment';
import { z } from 'zod';
import { SIGNING_KEY_CACHE_MS } from './auth/signing-keys';

/** The identity subgraph's own knobs; read once from the environment by index.ts. */
export interface IdentitySettings {
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** How long a session lives at most, whatever the refreshes. */
  sessionMaxSeconds: number;
  temporaryPasswordTtlDays: number;
  lockoutThreshold: number;
  lockoutSeconds: number;
  /** Time between publishing a new signing key and signing with it (> the verifiers' JWKS cooldown). */
  keyPropagationSeconds: number;
  /** How long signing keys read from the database are reused (tests set 0 to read them every time). */
  signingKeyCacheMs: number;
}

export const DEFAULT_IDENTITY_SETTINGS: IdentitySettings = {
  accessTokenTtlSeconds: 15 * 60,
  refreshTokenTtlSeconds: 8 * 3600,
  sessionMaxSeconds: 12 * 3600,
  temporaryPasswordTtlDays: 7,
  lockoutThreshold: 5,
  lockoutSeconds: 15 * 60,
  keyPropagationSeconds: 60,
  signingKeyCacheMs: SIGNING_KEY_CACHE_MS,
};

const positiveInteger = z.coerce.number().int().positive();

export function readIdentitySettings(env: NodeJS.ProcessEnv = process.env): IdentitySettings {
  frenchValidationMessages();
  const parsed = z
    .object({
      ACCESS_TOKEN_TTL_SECONDS: positiveInteger.default(DEFAULT_IDENTITY_SETTINGS.accessTokenTtlSeconds),
      REFRESH_TOKEN_TTL_SECONDS: positiveInteger.default(DEFAULT_IDENTITY_SETTINGS.refreshTokenTtlSeconds),
      SESSION_MAX_SECONDS: positiveInteger.default(DEFAULT_IDENTITY_SETTINGS.sessionMaxSeconds),
      TEMPORARY_PASSWORD_TTL_DAYS: positiveInteger.default(DEFAULT_IDENTITY_SETTINGS.temporaryPasswordTtlDays),
      SIGN_IN_LOCKOUT_THRESHOLD: positiveInteger.default(DEFAULT_IDENTITY_SETTINGS.lockoutThreshold),
      SIGN_IN_LOCKOUT_SECONDS: positiveInteger.default(DEFAULT_IDENTITY_SETTINGS.lockoutSeconds),
      SIGNING_KEY_PROPAGATION_SECONDS: z.coerce.number().int().min(0).default(DEFAULT_IDENTITY_SETTINGS.keyPropagationSeconds),
    })
    .safeParse(env);
  if (!parsed.success) throw new ConfigurationError('du sous-graphe identity', configurationIssues(parsed.error));
  const v = parsed.data;
  return {
    accessTokenTtlSeconds: v.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: v.REFRESH_TOKEN_TTL_SECONDS,
    sessionMaxSeconds: v.SESSION_MAX_SECONDS,
    temporaryPasswordTtlDays: v.TEMPORARY_PASSWORD_TTL_DAYS,
    lockoutThreshold: v.SIGN_IN_LOCKOUT_THRESHOLD,
    lockoutSeconds: v.SIGN_IN_LOCKOUT_SECONDS,
    keyPropagationSeconds: v.SIGNING_KEY_PROPAGATION_SECONDS,
    signingKeyCacheMs: SIGNING_KEY_CACHE_MS,
  };
}
