import type { Resolvers } from '../generated/resolvers-types';
import { AuditEvent } from './AuditEvent';
import { Mutation } from './Mutation';
import { Organization } from './Organization';
import { Query } from './Query';
import { User } from './User';
import { UserStatisticsGroup } from './UserStatistics';

export const resolvers: Resolvers = { Query, Mutation, Organization, User, UserStatisticsGroup, AuditEvent };
