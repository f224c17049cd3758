import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { HttpConfig } from './http-config';

const ONE_YEAR_SECONDS = 31_536_000;

/**
 * The HTTP hygiene of a JSON API that browsers of listed origins call: CORS by allowlist,
 * security headers (a CSP that lets nothing load or frame, since the API serves no page; HSTS
 * only in production, where TLS ends in front of the gateway). The GraphQL-shaped bodies of
 * what Fastify refuses before Apollo sees it (too large, wrong type, broken JSON, unknown route)
 * come with every service's HTTP app (`createHttpApp` in the kit). Register before the rate
 * limits so that a 429 carries these headers too (a browser reads `Retry-After` only through CORS).
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
}
