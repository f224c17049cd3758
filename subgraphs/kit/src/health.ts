import type { FastifyInstance } from 'fastify';
import type { MikroORM } from '@mikro-orm/postgresql';

/**
 * `/health`: the process is alive. `/ready`: it can serve, i.e. its database answers. Load
 * balancers and the gateway use the second.
 */
export function registerHealthRoutes(app: FastifyInstance, orm: MikroORM): void {
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async (_request, reply) => {
    try {
      await orm.em.getConnection().execute('select 1');
      return { status: 'ready' };
    } catch (error) {
      app.log.warn({ err: error }, 'readiness check failed: database unreachable');
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
}
