import { createHash } from 'node:crypto';
import { GEOGRAPHY_PATH, type GeographyAnswer, type VerifyAuthorization } from '@pgamr/kit';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import { MUNICIPAL_KINDS, Organization } from '../organization/organization.entity';

/**
 * The Répertoire des municipalités' geography for the other subgraphs (issue 18): every municipal
 * body's administrative region and MRC, public reference data, to any signed-in caller. Mandates groups
 * its figures by it as the Répertoire says it now: the answer carries an ETag, and a caller that
 * sends it back gets a 304 while nothing changed, so a correction (R5) counts on its next request
 * without a copy kept elsewhere.
 */
export function registerGeography(app: FastifyInstance, orm: MikroORM, verifyAuthorization: VerifyAuthorization): void {
  app.get(GEOGRAPHY_PATH, async (request, reply) => {
    const auth = await verifyAuthorization(request.headers.authorization);
    if (auth.status !== 'authenticated' || auth.viewer.passwordChangeRequired) return reply.code(401).send({ error: 'UNAUTHENTICATED' });
    const bodies = await orm.em
      .fork()
      .find(Organization, { kind: { $in: [...MUNICIPAL_KINDS] } }, { fields: ['id', 'administrativeRegion', 'mrc'], orderBy: { id: 'asc' } });
    const answer: GeographyAnswer = {
      bodies: bodies.map((body) => ({ organizationId: body.id, administrativeRegion: body.administrativeRegion ?? null, mrcId: body.mrc?.id ?? null })),
    };
    const json = JSON.stringify(answer);
    const etag = `"${createHash('sha256').update(json).digest('base64url')}"`;
    reply.header('etag', etag).header('cache-control', 'no-cache');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type('application/json').send(json);
  });
}
