import { requireViewer, type PageRequest } from '@pgamr/kit';
import type { MandatesContext } from '../context';
import { findReadableDossierPage, type DossierFilter } from '../dossier/dossier.repository';
import { resolveForeignReference } from './references';

export const OnlineService = {
  __resolveReference: resolveForeignReference,
  /** The program's dossiers the caller may read: a list path like any other (R15). */
  dossiers: ({ id }: { id: string }, args: { filter?: DossierFilter | null } & PageRequest, context: MandatesContext) => {
    requireViewer(context.auth);
    return findReadableDossierPage(context, { serviceId: id }, args.filter, args);
  },
};
