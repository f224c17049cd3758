import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{8,128}$/;
const PROBE_PATHS = new Set(['/health', '/ready']);

/** Fastify options a service may tighten; every other setting stays the product's. */
export interface HttpAppOptions {
  /** Largest request body accepted, in bytes (Fastify's default: 1 MiB); larger ones get 413. */
  bodyLimit?: number;
  /** Which proxies' `X-Forwarded-For` gives `request.ip` (Fastify's `trustProxy`); none by default. */
  trustProxy?: boolean | number | string[];
}

/**
 * The HTTP app every service of the product starts from: request ids taken from `x-request-id`
 * when well-formed (so one id follows a request across the gateway and the subgraphs) or made
 * up, and one log line per request instead of Fastify's two. Probes log at debug level only.
 */
export function createHttpApp(logger: Logger, options: HttpAppOptions = {}): FastifyInstance {
  // Typed as Fastify's logger so the app keeps Fastify's default instance type.
  const baseLogger: FastifyBaseLogger = logger;
  const app = Fastify({
    loggerInstance: baseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
    ...(options.trustProxy === undefined ? {} : { trustProxy: trustedProxies(options.trustProxy) }),
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
    },
  });
  // Responses finishing during shutdown close their keep-alive connection, so the server stops
  // as soon as the last request is answered instead of waiting for idle clients to hang up.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (closing) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async (request, reply) => {
    const line = {
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (PROBE_PATHS.has(request.routeOptions.url ?? '')) request.log.debug(line, 'request');
    else request.log.info(line, 'request');
  });
  return app;
}

/** Fastify trusts a number of hops at run time but types only a predicate for it. */
function trustedProxies(trust: NonNullable<HttpAppOptions['trustProxy']>) {
  return typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust;
}
