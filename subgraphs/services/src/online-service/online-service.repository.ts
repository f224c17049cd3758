import type { EntityManager } from '@mikro-orm/postgresql';
import { findPage, type Page, type PageRequest } from '@pgamr/kit';
import { OnlineService } from './online-service.entity';

/** R7: one page of the catalog, by sector then code (unique). */
export function findCatalogPage(em: EntityManager, page: PageRequest): Promise<Page<OnlineService>> {
  return findPage(em, OnlineService, {}, { sector: 'asc', code: 'asc' }, page);
}
