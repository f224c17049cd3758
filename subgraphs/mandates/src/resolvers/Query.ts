import { requireViewer, type PageRequest } from '@pgamr/kit';
import type { MandatesContext } from '../context';
import { findReadableDossierPage, type DossierFilter } from '../dossier/dossier.repository';
import { readableDossier } from '../dossier/readable-dossiers';
import { visibleMandate } from './Mandate';

export const Query = {
  /** A dossier the caller may not read is answered as absent: its existence is not revealed (R15, R20). */
  dossier: async (_: unknown, { id }: { id: string }, context: MandatesContext) => {
    requireViewer(context.auth);
    return readableDossier(context, await context.loaders.dossierById.load(id));
  },
  dossiers: (_: unknown, args: { filter?: DossierFilter | null } & PageRequest, context: MandatesContext) => {
    requireViewer(context.auth);
    return findReadableDossierPage(context, 'all', args.filter, args);
  },
  mandate: (_: unknown, { id }: { id: string }, context: MandatesContext) => visibleMandate(context, id),
};
