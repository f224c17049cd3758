import { z } from 'zod';

/** One fixed-window limit: so many requests per client per window. */
export interface RateLimit {
  points: number;
  windowSeconds: number;
}

/** How the gateway's HTTP edge protects itself: rate limits, CORS, body size, proxies. */
export interface HttpConfig {
  rateLimit: {
    /** Shared store for every replica; unset: each instance counts in its own memory. */
    redisUrl?: string;
    /** Prefix of every Redis key, so several deployments (or test runs) can share one Redis. */
    keyPrefix: string;
    /** Every `/graphql` request, per signed-in user, else per IP address. */
    general: RateLimit;
    /** Requests that call the `signIn` mutation, per IP address (R6). */
    signIn: RateLimit;
  };
  /** Origins whose browsers may call the API (exact `scheme://host[:port]`). */
  corsOrigins: string[];
  bodyLimitBytes: number;
  /** Fastify's `trustProxy`: whether (or which) proxies' `X-Forwarded-For` gives the client's IP. */
  trustProxy: boolean | number | string[];
}

/** The portal's front end in local development (Vite and the usual dev-server ports). */
const DEVELOPMENT_ORIGINS = ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://localhost:5173', 'http://127.0.0.1:5173'];
/** The `test` profile never limits unless a test asks: the e2e suite signs in hundreds of times from 127.0.0.1. */
const UNLIMITED_FOR_TESTS = 1_000_000;

const positiveInteger = z.coerce.number().int().min(1);
const optionalPositiveInteger = positiveInteger.optional();

const environmentSchema = z.object({
  NODE_ENV: z.string().default('development'),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'URL redis:// ou rediss:// attendue' }).optional(),
  RATE_LIMIT_KEY_PREFIX: z.string().min(1).default('pgamr:rate-limit'),
  RATE_LIMIT_POINTS: optionalPositiveInteger,
  RATE_LIMIT_WINDOW_SECONDS: positiveInteger.default(60),
  SIGN_IN_RATE_LIMIT_POINTS: optionalPositiveInteger,
  SIGN_IN_RATE_LIMIT_WINDOW_SECONDS: positiveInteger.default(300),
  GATEWAY_BODY_LIMIT_BYTES: positiveInteger.default(262_144),
});

/**
 * Reads the HTTP edge's settings; every problem goes to `issues` (the caller fails fast on them
 * all at once). Production and development share the limits; the `test` profile is unlimited
 * unless a test sets a limit.
 */
export function readHttpConfig(env: NodeJS.ProcessEnv, issues: string[]): HttpConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) issues.push(...parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`));
  const settings = parsed.success ? parsed.data : environmentSchema.parse({ NODE_ENV: env.NODE_ENV });
  const production = settings.NODE_ENV === 'production';
  const testing = settings.NODE_ENV === 'test';
  return {
    rateLimit: {
      ...(settings.REDIS_URL ? { redisUrl: settings.REDIS_URL } : {}),
      keyPrefix: settings.RATE_LIMIT_KEY_PREFIX,
      general: {
        points: settings.RATE_LIMIT_POINTS ?? (testing ? UNLIMITED_FOR_TESTS : 600),
        windowSeconds: settings.RATE_LIMIT_WINDOW_SECONDS,
      },
      signIn: {
        points: settings.SIGN_IN_RATE_LIMIT_POINTS ?? (testing ? UNLIMITED_FOR_TESTS : 20),
        windowSeconds: settings.SIGN_IN_RATE_LIMIT_WINDOW_SECONDS,
      },
    },
    corsOrigins: corsOrigins(env.CORS_ORIGINS, production, issues),
    bodyLimitBytes: settings.GATEWAY_BODY_LIMIT_BYTES,
    trustProxy: trustProxy(env.TRUST_PROXY ?? 'false', issues),
  };
}

function corsOrigins(value: string | undefined, production: boolean, issues: string[]): string[] {
  if (value === undefined) return production ? [] : DEVELOPMENT_ORIGINS;
  const origins = value.split(',').map((origin) => origin.trim()).filter(Boolean);
  for (const origin of origins) {
    if (!isOrigin(origin)) issues.push(`CORS_ORIGINS: « ${origin} » n'est pas une origine (schéma://hôte[:port], sans chemin)`);
  }
  return origins;
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

/** An address, a CIDR range, or one of proxy-addr's named ranges. */
const ADDRESS_OR_RANGE = /^([0-9A-Fa-f.:]+(\/\d{1,3})?|loopback|linklocal|uniquelocal)$/;

function trustProxy(value: string, issues: string[]): HttpConfig['trustProxy'] {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  const addresses = value.split(',').map((address) => address.trim()).filter(Boolean);
  if (addresses.length === 0 || !addresses.every((address) => ADDRESS_OR_RANGE.test(address))) {
    issues.push("TRUST_PROXY: true, false, un nombre de proxys ou une liste d'adresses IP, de plages CIDR ou loopback, linklocal, uniquelocal attendu");
    return false;
  }
  return addresses;
}
