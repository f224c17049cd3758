import { forbidden, requireViewer } from '@pgamr/kit';
import type { MandatesContext } from '../context';
import { canReadOrganizationDossiers } from '../dossier/dossier.authorization';

export const Organization = {
  // This subgraph only adds fields to organizations; identity knows whether one exists.
  __resolveReference: ({ id }: { id: string }) => ({ id }),
  dossiers: ({ id }: { id: string }, _: unknown, { loaders, auth }: MandatesContext) => {
    const viewer = requireViewer(auth);
    if (!canReadOrganizationDossiers(viewer, id)) {
      throw forbidden("Seuls les utilisateurs de l'organisation et le personnel du ministère voient ses dossiers.");
    }
    return loaders.dossiersByOrganization.load(id);
  },
};
