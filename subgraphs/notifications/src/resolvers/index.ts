import type { Resolvers } from '../generated/resolvers-types';
import { Mutation } from './Mutation';
import { Notification, NotificationSubject } from './Notification';
import { Query } from './Query';
import { Subscription } from './Subscription';

export const resolvers: Resolvers = { Query, Mutation, Subscription, Notification, NotificationSubject };
