import type { Resolvers } from '../generated/resolvers-types';
import { AuditEvent } from './AuditEvent';
import { Mutation } from './Mutation';
import { Organization } from './Organization';
import { Query } from './Query';
import { User } from './User';

export const resolvers: Resolvers = { Query, Mutation, Organization, User, AuditEvent };
