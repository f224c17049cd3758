import { isUuid, requireViewer } from '@pgamr/kit';
import type { RoadAidContext } from '../context';
import { RoadAidApplication } from './RoadAidApplication';

export const Query = {
  roadAidApplication: (_: unknown, { id }: { id: string }, context: RoadAidContext) => {
    requireViewer(context.auth);
    return isUuid(id) ? RoadAidApplication.__resolveReference({ id }, context) : null;
  },
};
