import type { ApolloGateway } from '@apollo/gateway';
import type { ApolloServer } from '@apollo/server';
import { Subjects, type BusSubscription, type EventBus, type NotificationDelivered, type SessionEnded } from '@pgamr/kit';
import type { Clock } from '@pgamr/kit/clock';
import { serviceUnavailable } from '@pgamr/kit/errors';
import type { FastifyInstance } from 'fastify';
import type { GraphQLSchema, ParseOptions, ValidationRule } from 'graphql';
import type { Logger } from 'pino';
import type { GatewayContext } from '../auth/gateway-context';
import type { GatewayTokens } from '../auth/gateway-tokens';
import type { SchemaAuthorization } from '../authorization/enforce-plugin';
import type { HttpConfig } from '../http/http-config';
import { mayIntrospect, type IntrospectionPolicy } from '../limits';
import type { LiveConfig } from './config';
import { LiveGate } from './gate';
import { registerSseRoute } from './sse';
import { LiveHub, type LiveEvent, type RunQuery } from './streams';
import { registerWebSocket } from './ws';

export { followEventBus } from './bus';
export { readLiveConfig, type LiveConfig } from './config';
export { SSE_PATH } from './sse';
export { WS_PATH } from './ws';

export interface LiveDependencies {
  config: LiveConfig;
  http: HttpConfig;
  apollo: ApolloServer<GatewayContext>;
  /** The API schema the gateway serves now (see `currentApiSchema`). */
  schema: () => GraphQLSchema | undefined;
  authorization: SchemaAuthorization;
  limits: { validationRules: readonly ValidationRule[]; parseOptions: ParseOptions };
  introspection: IntrospectionPolicy;
  tokens: Pick<GatewayTokens, 'verify' | 'assertSession'>;
  logger: Logger;
  clock?: Clock;
}

export interface LiveNotifications {
  hub: LiveHub;
  /**
   * Follows the bus's deliveries and session ends, once for this process: every replica does,
   * so a notification raised through any of them reaches the streams of all.
   */
  follow(bus: EventBus): Promise<void>;
  close(): Promise<void>;
}

/**
 * `Subscription` operations, which Apollo Server and @apollo/gateway do not execute: the gateway
 * streams them itself over graphql-sse (`POST /graphql/stream`) and graphql-ws (`/graphql`), each
 * event answered by a query through its normal pipeline with the subscriber's token (issue 19).
 */
export function registerLiveNotifications(app: FastifyInstance, dependencies: LiveDependencies): LiveNotifications {
  const { config, apollo, schema, logger } = dependencies;
  const hub = new LiveHub({
    config,
    verify: dependencies.tokens.verify,
    ...(dependencies.tokens.assertSession ? { assertSession: dependencies.tokens.assertSession } : {}),
    runQuery: apolloQuery(apollo),
    logger,
    ...(dependencies.clock ? { clock: dependencies.clock } : {}),
  });
  const busConfigured = Boolean(config.bus.natsUrl ?? config.bus.databaseUrl);
  let subscriptions: BusSubscription[] = [];
  const gate = new LiveGate(
    dependencies.tokens.verify,
    {
      schema,
      parseOptions: dependencies.limits.parseOptions,
      validationRules: dependencies.limits.validationRules,
      refusalOf: (apiSchema, document, operation, auth) => dependencies.authorization.refusalOf(apiSchema, document, operation, auth),
      maySeeSchema: (auth) => mayIntrospect(dependencies.introspection, auth),
    },
    hub,
    // Without a bus (a laptop), streams open and receive nothing; with one, only once it is followed.
    () => !busConfigured || subscriptions.length > 0,
  );
  registerSseRoute(app, gate, config.heartbeatMs);
  const webSocket = registerWebSocket(app, gate, {
    schema,
    corsOrigins: dependencies.http.corsOrigins,
    maxPayloadBytes: dependencies.http.bodyLimitBytes,
    heartbeatMs: config.heartbeatMs,
  });
  // Before Fastify waits for its connections to end: live streams never end by themselves.
  app.addHook('preClose', async () => {
    hub.close();
    await webSocket.close();
  });
  if (!busConfigured) logger.warn('no NATS_URL nor EVENT_BUS_DATABASE_URL: live notification streams open but receive no event');

  return {
    hub,
    async follow(bus) {
      const followed = await Promise.all([
        bus.follow(Subjects.allNotifications, (message) => {
          if (isNotificationDelivered(message.payload)) hub.deliver(message.payload);
          else logger.warn({ subject: message.subject, id: message.id }, 'live: a delivery without the expected shape was ignored');
        }),
        bus.follow(Subjects.allSessions, (message) => {
          if (isSessionEnded(message.payload)) hub.endSessions(message.payload);
          else logger.warn({ subject: message.subject, id: message.id }, 'live: a session end without the expected shape was ignored');
        }),
      ]);
      subscriptions = followed;
      logger.info({ filters: [Subjects.allNotifications, Subjects.allSessions] }, 'live notifications follow the event bus');
    },
    async close() {
      hub.close();
      await Promise.allSettled(subscriptions.map((subscription) => subscription.stop()));
      subscriptions = [];
      await webSocket.close();
    },
  };
}

/**
 * The API schema the gateway serves, hot reloads included: subscribe before Apollo Server starts
 * (the gateway tells its listeners of later loads only).
 */
export function currentApiSchema(gateway: ApolloGateway): () => GraphQLSchema | undefined {
  let schema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => {
    schema = apiSchema;
  });
  return () => schema;
}

/** One notification's query through Apollo Server: plan, authorization, limits and subgraph calls as for any query. */
function apolloQuery(apollo: ApolloServer<GatewayContext>): RunQuery {
  return async (operation, notificationId, contextValue) => {
    const response = await apollo.executeOperation(
      { query: operation.query, operationName: operation.operationName, variables: { ...operation.variables, [operation.idVariable]: notificationId } },
      { contextValue },
    );
    if (response.body.kind !== 'single') return { data: null, errors: [serviceUnavailable().toJSON()] };
    const { data, errors } = response.body.singleResult;
    const event: LiveEvent = { data: data ?? null };
    return errors ? { ...event, errors } : event;
  };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

function isNotificationDelivered(payload: unknown): payload is NotificationDelivered {
  return isObject(payload) && typeof payload.notificationId === 'string' && Array.isArray(payload.audiences) && payload.audiences.every(isObject);
}

function isSessionEnded(payload: unknown): payload is SessionEnded {
  return isObject(payload) && typeof payload.userId === 'string' && (payload.sessionId === null || typeof payload.sessionId === 'string');
}
