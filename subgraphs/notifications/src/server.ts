import { loadSchemaFile, recordOutbox, type ConsumeOptions, type SubgraphDefinition } from '@pgamr/kit';
import { INBOX_CONSUMER, startInboxConsumer } from './inbox/inbox-consumer';
import { retentionJob } from './inbox/retention';
import { createNotificationsLoaders, type NotificationsLoaders } from './loaders';
import { migrations } from './migrations';
import { NotificationAudienceSchema, NotificationReadSchema, NotificationSchema } from './notification/notification.entity';
import { resolvers } from './resolvers';

const typeDefs = loadSchemaFile(__dirname);

/**
 * The notifications subgraph: each user's inbox (issue 19), with its inbox consumer's durable
 * name: `notifications-inbox`, one cursor shared by every replica; a test on a shared broker
 * gives its own (`uniqueToken`), so that another test's subgraph does not take its events. It
 * owns no online service, so it declares no catalog; who reads what is decided from the
 * reader's token and rights (policy.ts). It consumes every domain event into the inbox, and
 * raises, through its own outbox, the deliveries the gateways stream.
 */
export function notificationsSubgraphWith(options: { inboxConsumer?: string; inboxStartsAt?: ConsumeOptions['startAt'] } = {}): SubgraphDefinition<NotificationsLoaders> {
  const durable = options.inboxConsumer ?? INBOX_CONSUMER;
  return {
    name: 'notifications',
    typeDefs,
    resolvers,
    entities: [NotificationSchema, NotificationAudienceSchema, NotificationReadSchema],
    migrations,
    createLoaders: createNotificationsLoaders,
    events: true,
    consumesEvents: true,
    async setup(database, { logger }) {
      return {
        services: undefined,
        jobs: [retentionJob(database.orm.em.fork())],
        startConsumers: async (bus) => [await startInboxConsumer(bus, durable, database.orm.em.fork(), recordOutbox, logger, { startAt: options.inboxStartsAt ?? 'first' })],
      };
    },
  };
}

/** The notifications subgraph as `npm start` and deployments run it. */
export const notificationsSubgraph = notificationsSubgraphWith();
