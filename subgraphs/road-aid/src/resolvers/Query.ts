import { isUuid, requireViewer } from '@pgamr/kit';
import type { QueryResolvers } from '../generated/resolvers-types';
import { RoadAidApplication } from './RoadAidApplication';

export const Query = {
  roadAidApplication: (_, { id }, context) => {
    requireViewer(context.auth);
    return isUuid(id) ? RoadAidApplication.__resolveReference({ id }, context) : null;
  },
} satisfies QueryResolvers;
