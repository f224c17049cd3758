import { forbidden, requireViewer } from '@pgamr/kit';
import type { MandatesContext } from '../context';
import { readableServicesOf } from '../dossier/dossier.authorization';

export const Organization = {
  // This subgraph only adds fields to organizations; identity knows whether one exists.
  __resolveReference: ({ id }: { id: string }) => ({ id }),
  /** The organization's dossiers the caller may read: of the services they hold a right on (R14). */
  dossiers: async ({ id }: { id: string }, _: unknown, context: MandatesContext) => {
    const viewer = requireViewer(context.auth);
    const readable = readableServicesOf(viewer, await context.rights(), id);
    if (readable === 'none') {
      throw forbidden("Seuls les utilisateurs de l'organisation et le personnel du ministère voient ses dossiers.");
    }
    const dossiers = await context.loaders.dossiersByOrganization.load(id);
    return readable === 'all' ? dossiers : dossiers.filter((dossier) => readable.has(dossier.serviceId));
  },
};
