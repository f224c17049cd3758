import { AuditEvent } from './AuditEvent';
import { Mutation } from './Mutation';
import { Organization } from './Organization';
import { Query } from './Query';
import { User } from './User';

export const resolvers = { Query, Mutation, Organization, User, AuditEvent };
