import { loadSchemaFile, recordOutbox, type Logger, type SubgraphDefinition } from '@pgamr/kit';
import { INBOX_CONSUMER, startInboxConsumer } from './inbox/inbox-consumer';
import { startRetentionJob } from './inbox/retention';
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
export function notificationsSubgraphWith(options: { inboxConsumer?: string } = {}): SubgraphDefinition<NotificationsLoaders> {
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
    async setup(database, { clock }) {
      // The server's logger, known once its routes are registered, before any consumer starts.
      let logger: Logger | undefined;
      return {
        services: undefined,
        startConsumers: async (bus) => [await startInboxConsumer(bus, durable, database.orm.em.fork(), recordOutbox, logger!)],
        registerRoutes(app) {
          logger = app.log as Logger;
          // Started once the server listens, stopped when it closes (before the database does).
          let retention: { stop(): Promise<void> } | undefined;
          app.addHook('onListen', async () => {
            retention ??= startRetentionJob(database.orm.em.fork(), clock, app.log as Logger);
          });
          app.addHook('onClose', async () => {
            await retention?.stop();
          });
        },
      };
    },
  };
}

/** The notifications subgraph as `npm start` and deployments run it. */
export const notificationsSubgraph = notificationsSubgraphWith();
