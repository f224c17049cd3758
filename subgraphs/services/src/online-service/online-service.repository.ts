import type { EntityManager } from '@mikro-orm/postgresql';
import { OnlineService } from './online-service.entity';

/** The catalog, by sector then code. */
export function findCatalog(em: EntityManager): Promise<OnlineService[]> {
  return em.find(OnlineService, {}, { orderBy: { sector: 'asc', code: 'asc' } });
}
