import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { ensureGraphiqlPage, GRAPHIQL_BUILD_DIR } from './build';

/**
 * Everything from this origin and nothing from another. GraphiQL's CSS embeds its fonts and icons
 * as `data:` URLs and React sets inline styles; no script is inline and none is evaluated.
 */
export const GRAPHIQL_CSP = [
  "default-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const ASSETS: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'graphiql.js': 'text/javascript; charset=utf-8',
  'graphiql.css': 'text/css; charset=utf-8',
  'graphiql.js.LEGAL.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves the GraphiQL page at `/graphiql` and its files under `/graphiql/`, from the build in
 * `dir`. The page is built on its first request when the build is missing or stale (or ahead
 * of time by `npm run build:graphiql`), so that a gateway that never serves it never builds it.
 * The route's CSP replaces the API's (which lets nothing load) for these responses only.
 */
export function registerGraphiqlRoutes(app: FastifyInstance, logger: Logger, dir: string = GRAPHIQL_BUILD_DIR): void {
  let built: Promise<void> | null = null;
  const ready = () => {
    built ??= ensureGraphiqlPage(dir).catch((error: unknown) => {
      built = null;
      throw error;
    });
    return built;
  };

  const serve = async (file: string, reply: FastifyReply) => {
    const type = ASSETS[file];
    if (!type) return reply.code(404).type('text/plain; charset=utf-8').send('Introuvable.');
    try {
      await ready();
    } catch (error) {
      logger.error({ err: error }, 'GraphiQL build failed');
      return reply.code(503).type('text/plain; charset=utf-8').send('GraphiQL est indisponible pour le moment.');
    }
    return reply
      .header('content-security-policy', GRAPHIQL_CSP)
      .header('cache-control', 'no-cache')
      .type(type)
      .send(await readFile(path.join(dir, file)));
  };

  app.get('/graphiql', (_request, reply) => serve('index.html', reply));
  app.get<{ Params: { file: string } }>('/graphiql/:file', (request, reply) => serve(request.params.file, reply));
}
