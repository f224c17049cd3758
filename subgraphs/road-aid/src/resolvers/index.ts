import type { Resolvers } from '../generated/resolvers-types';
import { RoadAidApplication } from './RoadAidApplication';
import { Mutation } from './Mutation';
import { Organization } from './Organization';
import { Query } from './Query';

export const resolvers: Resolvers = { Query, Mutation, Organization, RoadAidApplication };
