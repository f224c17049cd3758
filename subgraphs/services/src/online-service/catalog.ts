import type { EntityManager } from '@mikro-orm/postgresql';
import { stableId, type CatalogDirection, type CatalogService } from '@pgamr/kit';
import { OnlineService, OnlineServiceStatus } from './online-service.entity';

/**
 * Inserts the catalog entries that are missing, by `stableId('online-service', code)`, and never
 * overwrites one already there: an entry is edited in services (by its owner's staff), not by a
 * later seed or registration, and no declaration can take over another's service. Answers which
 * codes it added and which it found.
 */
export async function ensureCatalogEntries(
  em: EntityManager,
  directions: Readonly<Record<string, CatalogDirection>>,
  services: readonly CatalogService[],
): Promise<{ created: string[]; existing: string[] }> {
  const ids = services.map((service) => stableId('online-service', service.code));
  const found = new Set((await em.find(OnlineService, { id: { $in: ids } }, { fields: ['id'] })).map((service) => service.id));
  const missing = services.filter((_, index) => !found.has(ids[index]!));
  if (missing.length > 0) {
    await em.upsertMany(
      OnlineService,
      missing.map((entry) => {
        const direction = directions[entry.direction];
        if (!direction) throw new Error(`catalog entry ${entry.code}: direction ${entry.direction} is not declared`);
        return {
          id: stableId('online-service', entry.code),
          code: entry.code,
          name: entry.name,
          description: entry.description,
          sector: entry.sector,
          ownerMinistry: direction.ministry,
          ownerDirectionCode: entry.direction,
          ownerDirectionName: direction.name,
          status: OnlineServiceStatus.Available,
          supportName: direction.name,
          supportPhone: direction.support.phone,
          supportEmail: direction.support.email,
          createdAt: new Date(),
        };
      }),
      { onConflictFields: ['id'], onConflictAction: 'ignore' },
    );
  }
  return {
    created: missing.map((service) => service.code),
    existing: services.filter((_, index) => found.has(ids[index]!)).map((service) => service.code),
  };
}
