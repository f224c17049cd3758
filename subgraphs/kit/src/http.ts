import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { ErrorCode, INTERNAL_ERROR_MESSAGE, RequestErrorCode } from './errors';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{8,128}$/;
const PROBE_PATHS = new Set(['/health', '/ready']);
/** Fastify's own default, stated: the subgraphs keep it, the gateway sets a smaller one. */
const DEFAULT_BODY_LIMIT_BYTES = 1_048_576;

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
 * Requests Fastify refuses before any route sees them (broken JSON, wrong content type, too
 * large, unknown route) are answered in the GraphQL error shape, in French (`answerRefusalsAsGraphql`).
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
  answerRefusalsAsGraphql(app, options.bodyLimit ?? DEFAULT_BODY_LIMIT_BYTES);
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

/**
 * GraphQL-shaped error bodies for what Fastify refuses itself: the client's mistakes keep
 * Fastify's 4xx status (400 broken JSON, 404 unknown route, 413 too large, 415 wrong type) with
 * a French message and a public code, never Fastify's own body (`FST_ERR_…`) or parser message;
 * anything else is the generic internal error with the request id, its detail in the log.
 */
function answerRefusalsAsGraphql(app: FastifyInstance, bodyLimitBytes: number): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    const body =
      status >= 500
        ? { message: INTERNAL_ERROR_MESSAGE, extensions: { code: ErrorCode.Internal, requestId: String(request.id) } }
        : { message: refusalMessage(error, bodyLimitBytes), extensions: { code: RequestErrorCode.BadRequest } };
    return reply.code(status).type('application/json; charset=utf-8').send({ errors: [body] });
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .type('application/json; charset=utf-8')
      .send({
        errors: [
          {
            message: `Aucune ressource à cette adresse (${request.method}). L'API GraphQL répond à POST /graphql.`,
            extensions: { code: ErrorCode.NotFound },
          },
        ],
      }),
  );
}

function refusalMessage(error: FastifyError, bodyLimitBytes: number): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `La requête dépasse la taille maximale permise (${bodyLimitBytes} octets).`;
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Type de contenu non pris en charge : envoyez la requête en application/json.';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'La requête est invalide : corps vide ou incomplet.';
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return "La requête est invalide : le corps n'est pas un JSON valide.";
    default:
      return 'La requête est invalide.';
  }
}

/**
 * Listens, or explains in French which variable to change when the port cannot be taken (in use
 * by another process, or reserved): an operator must not have to read a Node stack trace.
 */
export async function listenOn(app: FastifyInstance, options: { host: string; port: number; variable: string }): Promise<string> {
  try {
    return await app.listen({ host: options.host, port: options.port });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'EADDRINUSE') {
      throw new Error(`le port ${options.port} est déjà utilisé par un autre processus : arrêtez-le, ou choisissez un autre port avec ${options.variable}.`);
    }
    if (code === 'EACCES') throw new Error(`le port ${options.port} est réservé : choisissez-en un autre avec ${options.variable}.`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new Error(`l'adresse ${options.host} n'est pas une adresse de cette machine : corrigez HOST.`);
    throw error;
  }
}
