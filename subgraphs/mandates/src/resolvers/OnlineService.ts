import { requireViewer } from '@pgamr/kit';
import type { OnlineServiceResolvers } from '../generated/resolvers-types';
import { findReadableDossierPage } from '../dossier/dossier.repository';
import { resolveForeignReference } from './references';

export const OnlineService = {
  __resolveReference: resolveForeignReference,
  /** The program's dossiers the caller may read: a list path like any other (R15). */
  dossiers: ({ id }, args, context) => {
    requireViewer(context.auth);
    return findReadableDossierPage(context, { serviceId: id }, args.filter, args);
  },
} satisfies OnlineServiceResolvers;
