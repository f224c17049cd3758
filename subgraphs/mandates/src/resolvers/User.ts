import { requireViewer, type PageRequest } from '@pgamr/kit';
import type { MandatesContext } from '../context';
import { ensureMayListUserMandates } from '../policy';
import { resolveForeignReference } from './references';

export const User = {
  __resolveReference: resolveForeignReference,
  /** R15: the mandataire's side: their own mandates, or, for the firm's RSÉ, those their colleague holds from the firm. */
  mandates: async ({ id }: { id: string }, page: PageRequest, context: MandatesContext) => {
    const scope = ensureMayListUserMandates(requireViewer(context.auth), id);
    return context.loaders.mandatePagesByMandataire.load(id, scope, page);
  },
};
