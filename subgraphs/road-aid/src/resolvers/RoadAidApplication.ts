import type { RoadAidApplication as RoadAidApplicationRecord } from '../road-aid-application/road-aid-application.entity';
import { requireViewer } from '@pgamr/kit';
import { mayReadApplication } from '../policy';
import type { RoadAidContext } from '../context';

export const RoadAidApplication = {
  /**
   * R20: a reference resolves only for whoever may read the record; anyone else gets null. An
   * anonymous caller is refused before any lookup, so that the answer never depends on whether
   * the record exists.
   */
  __resolveReference: async ({ id }: { id: string }, context: RoadAidContext) => {
    const viewer = requireViewer(context.auth);
    const record = await context.loaders.roadAidApplicationById.load(id);
    return record && mayReadApplication(viewer, await context.rights(), record) ? record : null;
  },
  organization: (record: RoadAidApplicationRecord) => ({ __typename: 'Organization', id: record.organizationId }),
};
