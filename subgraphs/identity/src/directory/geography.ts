import { GEOGRAPHY_PATH, type VerifyAuthorization } from '@pgamr/kit';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import { MUNICIPAL_KINDS } from '../organization/organization.entity';

/**
 * The geography (GeographyAnswer) written by PostgreSQL itself, and its ETag: one statement, no
 * entity built. A caller whose If-None-Match (`?`) is the current ETag gets no body back: the
 * Répertoire's 1,250 bodies are neither read into Node nor written to JSON again to answer a 304.
 */
const GEOGRAPHY_QUERY = `
  with answer as (
    select json_build_object('bodies', coalesce(json_agg(json_build_object(
             'organizationId', id, 'administrativeRegion', administrative_region, 'mrcId', mrc_id) order by id), '[]'::json))::text as json
      from organization
     where kind = any(?::text[])
  )
  select '"' || md5(json) || '"' as etag, case when '"' || md5(json) || '"' = ? then null else json end as json from answer`;

/**
 * The Répertoire des municipalités' geography for the other subgraphs (issue 18): every municipal
 * body's administrative region and MRC, public reference data, to any signed-in caller. Mandates
 * groups its figures by it as the Répertoire says it now: the answer carries an ETag, and a caller
 * that sends it back gets a 304 while nothing changed, so a correction (R5) counts on its next
 * request without a copy kept elsewhere.
 */
export function registerGeography(app: FastifyInstance, orm: MikroORM, verifyAuthorization: VerifyAuthorization): void {
  const kinds = `{${MUNICIPAL_KINDS.join(',')}}`;
  app.get(GEOGRAPHY_PATH, async (request, reply) => {
    const auth = await verifyAuthorization(request.headers.authorization);
    if (auth.status !== 'authenticated' || auth.viewer.passwordChangeRequired) return reply.code(401).send({ error: 'UNAUTHENTICATED' });
    const known = request.headers['if-none-match'] ?? '';
    const [answer] = await orm.em.getConnection().execute<Array<{ etag: string; json: string | null }>>(GEOGRAPHY_QUERY, [kinds, known]);
    reply.header('etag', answer!.etag).header('cache-control', 'no-cache');
    if (answer!.json === null) return reply.code(304).send();
    return reply.type('application/json').send(answer!.json);
  });
}
