import { loadSchemaFile, type Logger, type SubgraphDefinition } from '@pgamr/kit';
import { startRetentionJob } from './inbox/retention';
import { createNotificationsLoaders, type NotificationsLoaders } from './loaders';
import { migrations } from './migrations';
import { NotificationAudienceSchema, NotificationReadSchema, NotificationSchema } from './notification/notification.entity';
import { resolvers } from './resolvers';

/**
 * The notifications subgraph: each user's inbox (issue 19). It owns no online service, so it
 * declares no catalog; who reads what is decided from the reader's token and rights (policy.ts).
 */
export const notificationsSubgraph: SubgraphDefinition<NotificationsLoaders> = {
  name: 'notifications',
  typeDefs: loadSchemaFile(__dirname),
  resolvers,
  entities: [NotificationSchema, NotificationAudienceSchema, NotificationReadSchema],
  migrations,
  createLoaders: createNotificationsLoaders,
  async setup(database, { clock }) {
    return {
      services: undefined,
      registerRoutes(app) {
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
