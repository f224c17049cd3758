import type { Resolvers } from '../generated/resolvers-types';
import { AccessRequest, AccessRight, AuditEvent } from './Access';
import { AccessRequestStatisticsGroup } from './AccessRequestStatistics';
import { LocalManagerAnswer } from './LocalManagerAnswer';
import { Mutation } from './Mutation';
import { OnlineService } from './OnlineService';
import { Query } from './Query';
import { User } from './User';

export const resolvers: Resolvers = { Query, Mutation, OnlineService, AccessRight, AccessRequest, AccessRequestStatisticsGroup, AuditEvent, LocalManagerAnswer, User };
