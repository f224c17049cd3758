import { childrenLoader, entityLoader } from '@pgamr/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Dossier } from './dossier/dossier.entity';

/** The mandates subgraph's per-request loaders. */
export function createMandatesLoaders(em: EntityManager) {
  return {
    dossierById: entityLoader(em, Dossier),
    dossiersByOrganization: childrenLoader(em, Dossier, 'organizationId', { createdAt: 'desc', id: 'asc' }),
  };
}

export type MandatesLoaders = ReturnType<typeof createMandatesLoaders>;
