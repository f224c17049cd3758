import { forbidden, requireViewer, type PageRequest } from '@pgamr/kit';
import { worksFor } from '../access';
import type { RoadAidContext } from '../context';

export const Organization = {
  /** Identity owns the organization; here it is only ever resolved for a signed-in caller. */
  __resolveReference: ({ id }: { id: string }, context: RoadAidContext) => {
    requireViewer(context.auth);
    return { id };
  },
  /** R14, R20: refused per organization, so the refusal nulls this list only, never the organization. */
  roadAidApplications: async ({ id }: { id: string }, page: PageRequest, context: RoadAidContext) => {
    if (!(await worksFor(context, id))) {
      throw forbidden("Seuls les utilisateurs de l'organisation qui détiennent un droit sur ce service voient ses demandes.");
    }
    return context.loaders.roadAidApplicationsByOrganization.load(id, {}, page);
  },
};
