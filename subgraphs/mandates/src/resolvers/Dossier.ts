import { requireViewer } from '@pgamr/kit';
import type { MandatesContext } from '../context';
import { canReadDossier } from '../dossier/dossier.authorization';
import type { Dossier as DossierEntity } from '../dossier/dossier.entity';

export const Dossier = {
  __resolveReference: async ({ id }: { id: string }, context: MandatesContext) => {
    const viewer = requireViewer(context.auth);
    const dossier = await context.loaders.dossierById.load(id);
    return dossier && canReadDossier(viewer, await context.rights(), dossier) ? dossier : null;
  },
  requestedAmount: (dossier: DossierEntity) => Number(dossier.requestedAmount),
  createdAt: (dossier: DossierEntity) => dossier.createdAt.toISOString(),
  // Entities owned by other subgraphs: a reference the gateway resolves there.
  organization: (dossier: DossierEntity) => ({ __typename: 'Organization', id: dossier.organizationId }),
  service: (dossier: DossierEntity) => ({ __typename: 'OnlineService', id: dossier.serviceId }),
};
