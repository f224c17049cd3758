import { RoadAidApplication } from './RoadAidApplication';
import { Mutation } from './Mutation';
import { Organization } from './Organization';
import { Query } from './Query';

export const resolvers = { Query, Mutation, Organization, RoadAidApplication };
