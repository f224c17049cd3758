import { requireViewer, type PageRequest } from '@pgamr/kit';
import { ensureMayListApplications } from '../policy';
import type { RoadAidContext } from '../context';

export const Organization = {
  /** Identity owns the organization; here it is only ever resolved for a signed-in caller. */
  __resolveReference: ({ id }: { id: string }, context: RoadAidContext) => {
    requireViewer(context.auth);
    return { id };
  },
  /** R14, R20: refused per organization, so the refusal nulls this list only, never the organization. */
  roadAidApplications: async ({ id }: { id: string }, page: PageRequest, context: RoadAidContext) => {
    ensureMayListApplications(requireViewer(context.auth), await context.rights(), id);
    return context.loaders.roadAidApplicationsByOrganization.load(id, {}, page);
  },
};
