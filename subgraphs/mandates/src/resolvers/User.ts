import { forbidden, hasRole, IdentityRole, requireViewer, type PageRequest } from '@pgamr/kit';
import type { MandatesContext } from '../context';
import { resolveForeignReference } from './references';

export const User = {
  __resolveReference: resolveForeignReference,
  /** R15: the mandataire's side: their own mandates, or, for the firm's RSÉ, those their colleague holds from the firm. */
  mandates: async ({ id }: { id: string }, page: PageRequest, context: MandatesContext) => {
    const viewer = requireViewer(context.auth);
    const scope = viewer.userId === id ? {} : hasRole(viewer, IdentityRole.Rse) ? { firmOrganizationId: viewer.organizationId } : null;
    if (!scope) throw forbidden("Seuls l'utilisateur lui-même et les responsables de sa firme voient ses mandats.");
    return context.loaders.mandatePagesByMandataire.load(id, scope, page);
  },
};
