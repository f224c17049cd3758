import { requireViewer } from '@pgamr/kit';
import { worksFor } from '../access';
import type { RoadAidApplicationResolvers } from '../generated/resolvers-types';

export const RoadAidApplication = {
  /**
   * R20: a reference resolves only for whoever may read the record; anyone else gets null. An
   * anonymous caller is refused before any lookup, so that the answer never depends on whether
   * the record exists.
   */
  __resolveReference: async ({ id }: { id: string }, context) => {
    requireViewer(context.auth);
    const record = await context.loaders.roadAidApplicationById.load(id);
    return record && (await worksFor(context, record.organizationId)) ? record : null;
  },
  organization: (record) => ({ __typename: 'Organization', id: record.organizationId }),
} satisfies RoadAidApplicationResolvers;
