import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import { ErrorCode, INTERNAL_ERROR_MESSAGE } from '@pgamr/kit/errors';
import type { FastifyError, FastifyInstance } from 'fastify';
import type { HttpConfig } from './http-config';

const ONE_YEAR_SECONDS = 31_536_000;

/**
 * The HTTP hygiene of a JSON API that browsers of listed origins call: CORS by allowlist,
 * security headers (a CSP that lets nothing load or frame, since the API serves no page; HSTS
 * only in production, where TLS ends in front of the gateway), and GraphQL-shaped error bodies
 * for requests Fastify refuses before Apollo sees them (too large, wrong type, broken JSON),
 * never carrying an internal message. Register before the rate limits so that a 429 carries
 * these headers too (a browser reads `Retry-After` only through CORS).
 */
export async function registerHttpHygiene(app: FastifyInstance, config: HttpConfig, production: boolean): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
    },
    strictTransportSecurity: production ? { maxAge: ONE_YEAR_SECONDS, includeSubDomains: true } : false,
  });
  await app.register(cors, {
    origin: config.corsOrigins,
    methods: ['GET', 'POST'],
    // Apollo's CSRF prevention asks simple requests for one of its preflight headers.
    allowedHeaders: ['authorization', 'content-type', 'apollo-require-preflight', 'x-apollo-operation-name', 'x-request-id'],
    exposedHeaders: ['x-request-id', 'retry-after'],
    credentials: false,
    maxAge: 600,
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    const body =
      status >= 500
        ? { message: INTERNAL_ERROR_MESSAGE, extensions: { code: ErrorCode.Internal, requestId: String(request.id) } }
        : { message: refusalMessage(error, config.bodyLimitBytes), extensions: { code: 'BAD_REQUEST' } };
    return reply.code(status).type('application/json; charset=utf-8').send({ errors: [body] });
  });
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
