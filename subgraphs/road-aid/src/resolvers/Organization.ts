import { requireViewer } from '@pgamr/kit';
import { ensureMayListApplications } from '../policy';
import type { OrganizationResolvers } from '../generated/resolvers-types';

export const Organization = {
  /** Identity owns the organization; here it is only ever resolved for a signed-in caller. */
  __resolveReference: ({ id }, context) => {
    requireViewer(context.auth);
    return { id };
  },
  /** R14, R20: refused per organization, so the refusal nulls this list only, never the organization. */
  roadAidApplications: async ({ id }, page, context) => {
    ensureMayListApplications(requireViewer(context.auth), await context.rights(), id);
    return context.loaders.roadAidApplicationsByOrganization.load(id, {}, page);
  },
} satisfies OrganizationResolvers;
