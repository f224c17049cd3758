import type { MikroORM } from '@mikro-orm/postgresql';
import {
  CATALOG_REGISTRATION_PATH,
  catalogDeclarationIssues,
  catalogDeclarationSchema,
  sameBearerSecret,
  ServiceRole,
  type CatalogRegistrationAnswer,
  type RouteHelpers,
} from '@pgamr/kit';
import type { FastifyInstance } from 'fastify';
import { ensureDemoRights, type DemoRight } from '../seed/demo-data';
import { ensureCatalogEntries } from './catalog';

/**
 * The roles another subgraph may give in its demonstration rights: working in its service and
 * administering access to it. PERFORM's roles belong to PERFORM, which services declares itself.
 */
const DECLARABLE_DEMO_ROLES: readonly ServiceRole[] = [ServiceRole.User, ServiceRole.LocalManager, ServiceRole.DeputyManager, ServiceRole.MandateManager];

const isDeclarableDemoRight = (right: DemoRight): boolean => DECLARABLE_DEMO_ROLES.includes(right.role);

/**
 * R7, R23: where another ministry's subgraph declares its online services, their owning direction
 * and its demonstration rights, at every start (kit: `registerCatalog`), so that a new subgraph
 * joins the catalog and the decision point without any change here. Services stays the owner:
 * it checks the declaration again, adds the entries that are missing and never changes one that
 * exists (an existing code, another ministry's included, is left as it is), and keeps the
 * demonstration rights only when it runs with its own demo data, never in production. Served
 * behind `CATALOG_REGISTRATION_TOKEN`; in production, not at all without it. Returns whether it is served.
 */
export function registerCatalogRegistrations(
  app: FastifyInstance,
  orm: MikroORM,
  { seedDemoData, catalogAccess }: Pick<RouteHelpers, 'seedDemoData' | 'catalogAccess'>,
): boolean {
  if (catalogAccess.production && !catalogAccess.token) return false;
  const expected = catalogAccess.token ? Buffer.from(`Bearer ${catalogAccess.token}`) : undefined;
  app.put(CATALOG_REGISTRATION_PATH, async (request, reply) => {
    if (expected && !sameBearerSecret(request.headers.authorization, expected)) {
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: "Jeton d'inscription au catalogue requis." });
    }
    const { subgraph, ...body } = (request.body ?? {}) as Record<string, unknown>;
    const parsed = catalogDeclarationSchema.safeParse(body);
    const issues = parsed.success ? [] : catalogDeclarationIssues(parsed.error);
    if (typeof subgraph !== 'string' || !/^[a-z][a-z0-9-]{0,62}$/.test(subgraph)) issues.push('subgraph: le nom du sous-graphe est attendu');
    parsed.data?.demoRights.forEach((right, index) => {
      if (!isDeclarableDemoRight(right)) issues.push(`demoRights.${index}.role: ${right.role} n'est pas l'un de ${DECLARABLE_DEMO_ROLES.join(', ')}`);
    });
    if (!parsed.success || issues.length > 0) return reply.code(400).send({ error: 'BAD_USER_INPUT', issues });

    const declaration = parsed.data;
    const answer: CatalogRegistrationAnswer = await orm.em.fork().transactional(async (em) => {
      const entries = await ensureCatalogEntries(em, declaration.directions, declaration.services);
      if (!seedDemoData) return { ...entries, demoRights: 'ignored' as const };
      const rights = declaration.demoRights.filter(isDeclarableDemoRight);
      await ensureDemoRights(em, rights);
      return { ...entries, demoRights: rights.length };
    });
    if (answer.created.length > 0) request.log.info({ subgraph, created: answer.created }, 'online services added to the catalog');
    if (answer.demoRights === 'ignored' && declaration.demoRights.length > 0) {
      request.log.info({ subgraph, demoRights: declaration.demoRights.length }, 'demonstration rights ignored: services runs without demo data');
    }
    reply.header('cache-control', 'no-store');
    return answer;
  });
  return true;
}
