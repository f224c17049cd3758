import type { RoadAidApplication as RoadAidApplicationRecord } from '../road-aid-application/road-aid-application.entity';
import { requireViewer } from '@pgamr/kit';
import { worksFor } from '../access';
import type { RoadAidContext } from '../context';

export const RoadAidApplication = {
  /**
   * R20: a reference resolves only for whoever may read the record; anyone else gets null. An
   * anonymous caller is refused before any lookup, so that the answer never depends on whether
   * the record exists.
   */
  __resolveReference: async ({ id }: { id: string }, context: RoadAidContext) => {
    requireViewer(context.auth);
    const record = await context.loaders.roadAidApplicationById.load(id);
    return record && (await worksFor(context, record.organizationId)) ? record : null;
  },
  organization: (record: RoadAidApplicationRecord) => ({ __typename: 'Organization', id: record.organizationId }),
};
