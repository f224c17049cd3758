import type { EntityManager } from '@mikro-orm/postgresql';
import { MUNICIPAL_KINDS, Organization } from './organization.entity';

/** The municipal bodies of the Répertoire des municipalités, by name (R5). */
export function findMunicipalBodies(em: EntityManager): Promise<Organization[]> {
  return em.find(Organization, { kind: { $in: [...MUNICIPAL_KINDS] } }, { orderBy: { name: 'asc' } });
}
