import type { MikroORM } from '@mikro-orm/postgresql';
import { isUuid, MANDATES_DECISION_PATH, type Clock, type VerifyAuthorization } from '@pgamr/kit';
import type { FastifyInstance } from 'fastify';
import { quebecToday } from '../calendar';
import { mayAskMandateDecision, MANDATE_DECISION_REFUSAL } from '../policy';
import { findMandateInForce } from './mandate.repository';

interface Question {
  organizationId?: string;
  serviceId?: string;
  mandataireId?: string;
}

/**
 * The mandates decision point other subgraphs ask (through the kit's mandates client): does this
 * user hold a mandate in force now from this organization on this service, and for which firm?
 * Services asks it before a répondant municipal names an external auditor (R13). Read from the
 * database on every call, so a revocation counts at once.
 *
 * R20: an organization's mandates are its own business. Who may ask (policy.ts's
 * mayAskMandateDecision) is decided on the token alone, so that the answer never waits on another
 * subgraph; anyone else gets 403, which the client takes as "no mandate".
 */
export function registerMandatesDecisionPoint(app: FastifyInstance, orm: MikroORM, verifyAuthorization: VerifyAuthorization, clock: Clock): void {
  app.get<{ Querystring: Question }>(MANDATES_DECISION_PATH, async (request, reply) => {
    const auth = await verifyAuthorization(request.headers.authorization);
    if (auth.status !== 'authenticated' || auth.viewer.passwordChangeRequired) return reply.code(401).send({ error: 'UNAUTHENTICATED' });
    const { viewer } = auth;
    const { organizationId = '', serviceId = '', mandataireId = '' } = request.query;
    reply.header('cache-control', 'no-store');
    if (!mayAskMandateDecision(viewer, { organizationId, mandataireId })) return reply.code(MANDATE_DECISION_REFUSAL.status).send(MANDATE_DECISION_REFUSAL.body);
    if (![organizationId, serviceId, mandataireId].every(isUuid)) return { inForce: false };
    const mandate = await findMandateInForce(orm.em.fork(), { organizationId, serviceId, mandataireId }, quebecToday(clock.now()));
    return mandate ? { inForce: true, firmOrganizationId: mandate.firmOrganizationId } : { inForce: false };
  });
}
