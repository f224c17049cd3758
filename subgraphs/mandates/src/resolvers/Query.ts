import { requireViewer } from '@pgamr/kit';
import type { MandatesContext } from '../context';
import { canReadDossier } from '../dossier/dossier.authorization';

export const Query = {
  /** A dossier the caller may not read is answered as absent: its existence is not revealed. */
  dossier: async (_: unknown, { id }: { id: string }, context: MandatesContext) => {
    const viewer = requireViewer(context.auth);
    const dossier = await context.loaders.dossierById.load(id);
    return dossier && canReadDossier(viewer, await context.rights(), dossier) ? dossier : null;
  },
};
