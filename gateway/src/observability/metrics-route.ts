import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { GatewayMetrics } from './metrics';

/** Who may read `/metrics`. */
export interface MetricsSettings {
  /** Bearer token `/metrics` asks for; unset: open in development, not served in production. */
  token?: string;
}

/** Reads the metrics settings, adding a French message to `issues` for a bad value. */
export function readMetricsSettings(env: NodeJS.ProcessEnv, issues: string[]): MetricsSettings {
  const token = env.METRICS_TOKEN;
  if (!token) return {};
  if (!z.string().min(16).safeParse(token).success) {
    issues.push('METRICS_TOKEN: au moins 16 caractères attendus');
    return {};
  }
  return { token };
}

/**
 * Serves the metrics in Prometheus' text format at `/metrics`. In production they are served only
 * behind `METRICS_TOKEN` (operation names and error rates are not for everyone); in development
 * the route is open unless a token is set.
 */
export function registerMetricsRoute(
  app: FastifyInstance,
  metrics: GatewayMetrics,
  settings: MetricsSettings,
  production: boolean,
): void {
  if (production && !settings.token) return;
  const expected = settings.token ? Buffer.from(`Bearer ${settings.token}`) : undefined;
  app.get('/metrics', async (request, reply) => {
    if (expected && !sameSecret(request.headers.authorization, expected)) {
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'Jeton de métriques requis.' });
    }
    return reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}

function sameSecret(received: string | undefined, expected: Buffer): boolean {
  const candidate = Buffer.from(received ?? '');
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}
