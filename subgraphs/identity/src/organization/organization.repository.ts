import { findPage, type Page, type PageRequest } from '@pgamr/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { MUNICIPAL_KINDS, Organization } from './organization.entity';

/** A page of the municipal bodies of the Répertoire des municipalités, by name (R5); the id breaks ties. */
export function findMunicipalBodies(em: EntityManager, page: PageRequest): Promise<Page<Organization>> {
  return findPage(em, Organization, { kind: { $in: [...MUNICIPAL_KINDS] } }, { name: 'asc', id: 'asc' }, page);
}
