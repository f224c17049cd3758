import type { MikroORM } from '@mikro-orm/postgresql';
import { RIGHTS_PATH, type ServiceRight, type VerifyAuthorization } from '@pgamr/kit';
import type { FastifyInstance } from 'fastify';
import { findActiveRightsOfUser } from './access.repository';

/**
 * The authorization decision point other subgraphs ask (through the kit's rights client): the
 * rights the *caller* holds now, read from the database on every call so that a revocation or
 * the end of a deputy's period shows on the very next request. Answers only about the bearer of
 * the token, so it reveals nothing about anyone else.
 */
export function registerDecisionPoint(app: FastifyInstance, orm: MikroORM, verifyAuthorization: VerifyAuthorization): void {
  app.get(RIGHTS_PATH, async (request, reply) => {
    const auth = await verifyAuthorization(request.headers.authorization);
    if (auth.status !== 'authenticated') return reply.code(401).send({ error: 'UNAUTHENTICATED' });
    if (auth.viewer.passwordChangeRequired) return { userId: auth.viewer.userId, rights: [] };
    const rights = await findActiveRightsOfUser(orm.em.fork(), auth.viewer.userId);
    const body: { userId: string; rights: ServiceRight[] } = {
      userId: auth.viewer.userId,
      rights: rights.map((right) => ({
        serviceId: right.service.id,
        organizationId: right.organizationId,
        role: right.role,
        validUntil: right.validUntil?.toISOString() ?? null,
      })),
    };
    reply.header('cache-control', 'no-store');
    return body;
  });
}
