import type { MandatesContext } from '../context';
import type { Dossier as DossierEntity } from '../dossier/dossier.entity';

export const Dossier = {
  __resolveReference: ({ id }: { id: string }, { loaders }: MandatesContext) => loaders.dossierById.load(id),
  requestedAmount: (dossier: DossierEntity) => Number(dossier.requestedAmount),
  createdAt: (dossier: DossierEntity) => dossier.createdAt.toISOString(),
  // Entities owned by other subgraphs: a reference the gateway resolves there.
  organization: (dossier: DossierEntity) => ({ __typename: 'Organization', id: dossier.organizationId }),
  service: (dossier: DossierEntity) => ({ __typename: 'OnlineService', id: dossier.serviceId }),
};
