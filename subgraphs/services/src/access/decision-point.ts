import type { MikroORM } from '@mikro-orm/postgresql';
import { RIGHTS_PATH, type Authentication, type Clock, type RightsAnswer } from '@pgamr/kit';
import { OnlineService } from '../online-service/online-service.entity';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { findActiveRightsOfUser } from './access.repository';
import { administeredDirection, rightCounts } from '../policy';

/**
 * The authorization decision point other subgraphs ask (through the kit's rights client): the
 * rights the *caller* holds now, read from the database on every call so that a revocation or
 * the end of a deputy's period shows on the very next request (R15). Answers only about the bearer
 * of the token, so it reveals nothing about anyone else. The caller's session is checked like any
 * request's (the kit's `verifyRequest`): not asked of identity again when the asking subgraph
 * asserts it was just found live for the same request.
 */
export function registerDecisionPoint(app: FastifyInstance, orm: MikroORM, verifyRequest: (request: FastifyRequest) => Promise<Authentication>, clock: Clock): void {
  app.get(RIGHTS_PATH, async (request, reply) => {
    const auth = await verifyRequest(request);
    if (auth.status !== 'authenticated') return reply.code(401).send({ error: 'UNAUTHENTICATED' });
    const { viewer } = auth;
    if (viewer.passwordChangeRequired) return { userId: viewer.userId, rights: [], administeredServiceIds: [] };
    const em = orm.em.fork();
    // R13, R20: a right outside the organization its rule allows opens nothing (see rightCounts).
    const rights = (await findActiveRightsOfUser(em, viewer.userId, clock.now())).filter((right) => rightCounts(viewer, right));
    const direction = administeredDirection(viewer);
    const administered = direction ? await em.find(OnlineService, { ownerDirectionCode: direction }, { fields: ['id'] }) : [];
    const body: RightsAnswer & { userId: string } = {
      userId: viewer.userId,
      administeredServiceIds: administered.map((service) => service.id),
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
