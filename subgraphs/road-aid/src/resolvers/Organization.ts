import { forbidden, requireViewer } from '@pgamr/kit';
import { worksFor } from '../access';
import type { OrganizationResolvers } from '../generated/resolvers-types';

export const Organization = {
  /** Identity owns the organization; here it is only ever resolved for a signed-in caller. */
  __resolveReference: ({ id }, context) => {
    requireViewer(context.auth);
    return { id };
  },
  /** R14, R20: refused per organization, so the refusal nulls this list only, never the organization. */
  roadAidApplications: async ({ id }, page, context) => {
    if (!(await worksFor(context, id))) {
      throw forbidden("Seuls les utilisateurs de l'organisation qui détiennent un droit sur ce service voient ses demandes.");
    }
    return context.loaders.roadAidApplicationsByOrganization.load(id, {}, page);
  },
} satisfies OrganizationResolvers;
