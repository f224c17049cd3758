import { AccessRequest, AccessRight, ServiceAuditEvent } from './Access';
import { Mutation } from './Mutation';
import { OnlineService } from './OnlineService';
import { Query } from './Query';
import { User } from './User';

export const resolvers = { Query, Mutation, OnlineService, AccessRight, AccessRequest, ServiceAuditEvent, User };
