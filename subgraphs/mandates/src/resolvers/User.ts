import { forbidden, hasRole, IdentityRole, requireViewer } from '@pgamr/kit';
import type { UserResolvers } from '../generated/resolvers-types';
import { resolveForeignReference } from './references';

export const User = {
  __resolveReference: resolveForeignReference,
  /** R15: the mandataire's side: their own mandates, or, for the firm's RSÉ, those their colleague holds from the firm. */
  mandates: async ({ id }, page, context) => {
    const viewer = requireViewer(context.auth);
    const scope = viewer.userId === id ? {} : hasRole(viewer, IdentityRole.Rse) ? { firmOrganizationId: viewer.organizationId } : null;
    if (!scope) throw forbidden("Seuls l'utilisateur lui-même et les responsables de sa firme voient ses mandats.");
    return context.loaders.mandatePagesByMandataire.load(id, scope, page);
  },
} satisfies UserResolvers;
