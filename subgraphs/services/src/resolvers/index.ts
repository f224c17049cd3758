import { OnlineService } from './OnlineService';
import { Query } from './Query';

export const resolvers = { Query, OnlineService };
