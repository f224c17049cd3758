import { entityLoader, pageLoader } from '@pgamr/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { RoadAidApplication } from './road-aid-application/road-aid-application.entity';

/** The road-aid subgraph's per-request loaders. */
export function createRoadAidLoaders(em: EntityManager) {
  return {
    roadAidApplicationById: entityLoader(em, RoadAidApplication),
    /** A page of each organization's applications: latest fiscal year first, then newest; the id breaks ties. */
    roadAidApplicationsByOrganization: pageLoader(em, RoadAidApplication, 'organizationId', { fiscalYear: 'desc', createdAt: 'desc', id: 'desc' }),
  };
}

export type RoadAidLoaders = ReturnType<typeof createRoadAidLoaders>;
