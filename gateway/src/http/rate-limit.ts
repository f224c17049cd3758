import type { ApolloServerPlugin } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { VerifyAuthorization } from '@pgamr/kit/auth';
import { domainError, ErrorCode } from '@pgamr/kit/errors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { HttpConfig, RateLimit } from './http-config';
import { callsSignIn } from './sign-in-operation';

/** A Redis that does not answer within this delay is skipped for the in-memory limiter. */
const REDIS_COMMAND_TIMEOUT_MS = 500;
const REDIS_CONNECT_TIMEOUT_MS = 2_000;
const GENERAL_REFUSAL = 'Trop de requêtes.';
const SIGN_IN_REFUSAL = 'Trop de tentatives de connexion depuis cette adresse.';

/** What the sign-in limit needs of the request context: the client's address, as Fastify saw it. */
export interface ClientAddress {
  clientAddress: string;
}

export type RateLimitedKind = 'general' | 'sign-in';

export interface RateLimits {
  /** Adds the general limit to `path`, checked before the body is read. */
  register(app: FastifyInstance, verify: VerifyAuthorization, path?: string): void;
  /** Wraps the GraphQL context function to add the client's address, for the sign-in limit. */
  withClientAddress<T extends object>(context: (request: FastifyRequest) => Promise<T>): (request: FastifyRequest) => Promise<T & ClientAddress>;
  /** The sign-in limit, on the operation Apollo resolved (persisted queries and trusted documents included). */
  signInPlugin<TContext extends object>(): ApolloServerPlugin<TContext>;
  /** Closes the Redis connection, if any. */
  close(): Promise<void>;
}

/**
 * Two rate limits. A general one per client: the verified token's user, else the IP address
 * (users behind one municipal NAT keep budgets of their own; a forged token gets no fresh
 * budget). A strict one per IP address on sign-in attempts (R6: slows password guessing across
 * codes, which identity's per-code lockout does not). With `REDIS_URL` every replica counts in
 * Redis; when Redis fails, each replica keeps limiting in its own memory rather than refusing
 * everyone (fail open, but never unlimited).
 */
export async function createRateLimits(
  config: HttpConfig['rateLimit'],
  logger: Logger,
  onRefused: (kind: RateLimitedKind) => void = () => undefined,
): Promise<RateLimits> {
  const redis = config.redisUrl ? await connectRedis(config.redisUrl, logger) : undefined;
  const general = limiter(config.general, `${config.keyPrefix}:general`, redis);
  const signIn = limiter(config.signIn, `${config.keyPrefix}:sign-in`, redis);

  return {
    register(app, verify, path = '/graphql') {
      app.addHook('onRequest', async (request, reply) => {
        if (request.routeOptions.url !== path || request.method === 'OPTIONS') return;
        const refusal = await consume(general, await clientKey(request, verify), logger);
        if (!refusal) return;
        onRefused('general');
        return tooManyRequests(reply, refusal);
      });
    },
    withClientAddress(context) {
      return async (request) => ({ ...(await context(request)), clientAddress: request.ip });
    },
    signInPlugin() {
      return {
        async requestDidStart() {
          return {
            async didResolveOperation({ document, operation, contextValue }) {
              if (!operation || !callsSignIn(document, operation)) return;
              const refusal = await consume(signIn, `ip:${clientAddressOf(contextValue)}`, logger);
              if (!refusal) return;
              onRefused('sign-in');
              throw rateLimitedError(refusal, SIGN_IN_REFUSAL);
            },
          };
        },
      };
    },
    async close() {
      if (!redis) return;
      if (redis.status === 'ready') await redis.quit();
      else redis.disconnect();
    },
  };
}

function limiter({ points, windowSeconds }: RateLimit, keyPrefix: string, redis: Redis | undefined): RateLimiterAbstract {
  const inMemory = new RateLimiterMemory({ points, duration: windowSeconds, keyPrefix });
  if (!redis) return inMemory;
  return new RateLimiterRedis({
    storeClient: redis,
    points,
    duration: windowSeconds,
    keyPrefix,
    rejectIfRedisNotReady: true,
    insuranceLimiter: inMemory,
  });
}

async function connectRedis(url: string, logger: Logger): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    // Queued commands would hold requests while Redis is away; failing at once lets the insurance limiter answer.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
  });
  let reportedDown = false;
  redis.on('error', (error: Error) => {
    if (reportedDown) return;
    reportedDown = true;
    logger.warn({ err: error }, 'rate limits: Redis unreachable; each instance limits in memory until it answers');
  });
  redis.on('ready', () => {
    if (reportedDown) logger.info('rate limits: Redis answers again; limits are shared');
    reportedDown = false;
  });
  // Ioredis keeps reconnecting after a failed first attempt: the gateway starts either way.
  await redis.connect().catch(() => undefined);
  return redis;
}

/** The verified token's user; else (no token, or one that does not verify) the IP address. */
async function clientKey(request: FastifyRequest, verify: VerifyAuthorization): Promise<string> {
  const auth = await verify(request.headers.authorization);
  return auth.status === 'authenticated' ? `user:${auth.viewer.userId}` : `ip:${request.ip}`;
}

function clientAddressOf(context: object): string {
  // Without the wrapper every caller would share one budget: better loud in the logs than silent.
  return 'clientAddress' in context && typeof context.clientAddress === 'string' ? context.clientAddress : 'unknown';
}

/** Consumes one point; answers the refusal when over the limit. A store failure lets the request through. */
async function consume(limiter: RateLimiterAbstract, key: string, logger: Logger): Promise<RateLimiterRes | undefined> {
  try {
    await limiter.consume(key);
    return undefined;
  } catch (outcome) {
    if (outcome instanceof RateLimiterRes) return outcome;
    logger.warn({ err: outcome }, 'rate limit store failed; request let through');
    return undefined;
  }
}

const retryAfterSeconds = (refusal: RateLimiterRes) => Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));

function refusalMessage(reason: string, seconds: number): string {
  return `${reason} Veuillez réessayer dans ${seconds} seconde${seconds > 1 ? 's' : ''}.`;
}

/** The sign-in refusal, answered by Apollo (and its `formatError`) as HTTP 429 with Retry-After. */
function rateLimitedError(refusal: RateLimiterRes, reason: string) {
  const seconds = retryAfterSeconds(refusal);
  return domainError(ErrorCode.RateLimited, refusalMessage(reason, seconds), {
    retryAfterSeconds: seconds,
    http: { status: 429, headers: new HeaderMap([['retry-after', String(seconds)]]) },
  });
}

/** The general refusal, answered before Apollo runs, in the same GraphQL shape. */
function tooManyRequests(reply: FastifyReply, refusal: RateLimiterRes): FastifyReply {
  const seconds = retryAfterSeconds(refusal);
  return reply
    .code(429)
    .header('retry-after', String(seconds))
    .type('application/json; charset=utf-8')
    .send({ errors: [{ message: refusalMessage(GENERAL_REFUSAL, seconds), extensions: { code: ErrorCode.RateLimited, retryAfterSeconds: seconds } }] });
}
