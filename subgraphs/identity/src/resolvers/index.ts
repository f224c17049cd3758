import { Organization } from './Organization';
import { Query } from './Query';
import { User } from './User';

export const resolvers = { Query, Organization, User };
