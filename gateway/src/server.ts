import { disableApolloTelemetry } from './no-telemetry';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin, type GraphQLRequestContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import { createHttpApp } from '@pgamr/kit/http';
import { scalarInputPlugin } from '@pgamr/kit/input';
import { formatPublicError, operationResolutionPlugin } from '@pgamr/kit/request-errors';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { gatewayContext, type GatewayContext } from './auth/gateway-context';
import type { Clock } from '@pgamr/kit/clock';
import { gatewayTokens, type GatewayTokens } from './auth/gateway-tokens';
import { SchemaAuthorization } from './authorization/enforce-plugin';
import { GatewayMetrics } from './observability/metrics';
import { registerMetricsRoute } from './observability/metrics-route';
import { createSubgraphClients } from './subgraphs/subgraph-client';
import { SubgraphDataSource } from './subgraphs/subgraph-data-source';
import { subgraphHealthUrl, subgraphUrl, type GatewayConfig } from './config';
import { createRateLimits } from './http/rate-limit';
import { requestIdOnInternalErrors } from './http/request-id-plugin';
import { registerHttpHygiene } from './http/security';
import { registerGraphiqlRoutes } from './graphiql/route';
import { gatewayOperationLimits, mayIntrospect, readCostDirectivesOfSupergraphs } from './limits';
import { currentApiSchema, followEventBus, registerLiveNotifications, SSE_PATH, type LiveNotifications } from './live';
import { persistedOperations } from './persisted';
import { FileSupergraphManager } from './supergraph/file-supergraph-manager';
import { checkSubgraphs, subgraphsOf, type SubgraphEndpoint } from './supergraph/subgraph-readiness';

export interface BuiltGateway {
  app: FastifyInstance;
  gateway: ApolloGateway;
  /** This gateway's Prometheus metrics, with hooks for rate limiting and caches. */
  metrics: GatewayMetrics;
  /** The subgraphs the current supergraph routes to, with the URLs the gateway uses. */
  subgraphs(): SubgraphEndpoint[];
  /** Whether the accepted tokens are known yet, and when they will be (see gateway-tokens.ts). */
  tokens: Pick<GatewayTokens, 'known' | 'settled'>;
  /** Subscriptions streamed over SSE and WebSocket; `follow` connects them to the event bus. */
  live: LiveNotifications;
  close(): Promise<void>;
}

/**
 * Builds the gateway once: the supergraph from its file (watched), Apollo Server, and the HTTP
 * app with `/graphql`, `/health` and `/ready`. Does not listen: the caller decides where.
 */
export async function buildGateway(
  config: GatewayConfig,
  logger: Logger,
  /** What token expiry is judged against: the system clock unless a test passes its own (never from the environment). */
  options: { clock?: Clock } = {},
): Promise<BuiltGateway> {
  disableApolloTelemetry();
  const metrics = new GatewayMetrics();
  const subgraphClients = createSubgraphClients({ settings: config.subgraphCalls, metrics, logger });
  let subgraphs: SubgraphEndpoint[] = [];
  const authorization = new SchemaAuthorization();
  const gateway = new ApolloGateway({
    supergraphSdl: authorization.supergraph(new FileSupergraphManager(config.supergraphPath, logger)),
    buildService: ({ name, url }) =>
      new SubgraphDataSource(subgraphUrl(config, name, url ?? ''), subgraphClients.forSubgraph(name), { name, logger }),
    logger,
  });
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => {
    subgraphs = subgraphsOf(coreSupergraphSdl).map(({ name, url }) => {
      const healthUrl = subgraphHealthUrl(config, name);
      return { name, url: subgraphUrl(config, name, url), ...(healthUrl ? { healthUrl } : {}) };
    });
  });

  const rateLimits = await createRateLimits(config.http.rateLimit, logger, (kind) => metrics.recordRateLimited(kind));
  const app = createHttpApp(logger, { bodyLimit: config.http.bodyLimitBytes, trustProxy: config.http.trustProxy });
  const limits = gatewayOperationLimits(config.limits);
  // Before Apollo Server starts: its first schema must be costed with its supergraph's @cost and @listSize.
  readCostDirectivesOfSupergraphs(gateway);
  const apiSchema = currentApiSchema(gateway);
  const persisted = await persistedOperations(config.persistedOperations, ({ auth }) => mayIntrospect(config.limits.introspection, auth));
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError: formatPublicError,
    includeStacktraceInErrorResponses: false,
    // Apollo's default, stated: a browser may not send a GraphQL request without a CORS preflight.
    csrfPrevention: true,
    // Per caller, by the limits' plugin (GATEWAY_INTROSPECTION).
    introspection: config.limits.introspection !== 'off',
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    persistedQueries: persisted.persistedQueries,
    stopOnTerminationSignals: false,
    plugins: [
      // First: the plugins after it, and the executor, expect the operation to be resolved.
      operationResolutionPlugin<GatewayContext>(),
      fastifyApolloDrainPlugin(app),
      requestIdOnInternalErrors<GatewayContext>(logger),
      rateLimits.signInPlugin<GatewayContext>(),
      ...limits.plugins,
      ...persisted.plugins,
      // R20: the supergraph's @authenticated, @requiresScopes and @policy, before any planning.
      authorization.plugin(gateway),
      // Values the kit's typed scalars refuse (a DateTime without offset…): BAD_USER_INPUT here,
      // not an outage reported by the subgraph that would refuse them.
      scalarInputPlugin<GatewayContext>(),
      metrics.plugin<GatewayContext>(),
      // After authorization (didResolveOperation runs before a cached answer is looked up):
      // whole responses the subgraphs allowed to keep, that is public reference data (the
      // catalog). Clients get no Cache-Control: an authenticated answer is not for shared caches.
      ApolloServerPluginCacheControl({ calculateHttpHeaders: false }),
      responseCachePlugin<GatewayContext>({ generateCacheKey: responseCacheKey }),
      // The IDE would load from a public CDN; the portal serves its own (see README).
      ApolloServerPluginLandingPageDisabled(),
      ...(config.usageReporting ? [] : usageReportingOff()),
    ],
  });
  await apollo.start().catch((error: unknown) => {
    throw supergraphLoadError(config.supergraphPath, error);
  });
  // R2, R6: with identity's tokens, a session ended on any replica of identity is refused here on the next request.
  const tokens = gatewayTokens(config, logger, options.clock);
  await registerHttpHygiene(app, config.http, config.production);
  // Rate limits only need to know whose budget a request spends: the signature suffices.
  rateLimits.register(app, tokens.verifyToken);
  rateLimits.register(app, tokens.verifyToken, SSE_PATH);
  await app.register(fastifyApollo(apollo), { path: '/graphql', context: rateLimits.withClientAddress(gatewayContext(tokens.verify, tokens.assertSession)) });
  const live = registerLiveNotifications(app, {
    config: config.live,
    http: config.http,
    apollo,
    schema: apiSchema,
    authorization,
    limits,
    introspection: config.limits.introspection,
    tokens,
    logger,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  metrics.observeLiveStreams(() => live.hub.size);
  // One follow of the bus per process, fanned out to its own streams (every replica does the same).
  const liveBus = await followEventBus(live, config.live.bus, logger);

  app.get('/health', async () => ({ status: 'ok' }));
  if (config.graphiql) registerGraphiqlRoutes(app, logger);
  registerMetricsRoute(app, metrics, config.metrics, config.production);
  app.get('/ready', async (_request, reply) => {
    const states = await checkSubgraphs(subgraphs);
    // A provider's discovery document not read yet: no signed-in request can be served.
    const tokensKnown = tokens.known();
    const ready = subgraphs.length > 0 && states.every((state) => state.ready) && tokensKnown;
    const body = {
      status: ready ? 'ready' : 'unavailable',
      subgraphs: Object.fromEntries(states.map((s) => [s.name, s.ready])),
      ...(tokens.discovered ? { tokenIssuer: tokensKnown } : {}),
    };
    return reply.code(ready ? 200 : 503).send(body);
  });

  return {
    app,
    gateway,
    metrics,
    subgraphs: () => subgraphs,
    tokens,
    live,
    // Stopping Apollo drains the HTTP server, then stops the gateway and its file watcher.
    close: async () => {
      await live.close();
      await liveBus.close();
      await apollo.stop();
      await rateLimits.close();
      await subgraphClients.close();
      await tokens.close();
    },
  };
}

/**
 * Why the gateway cannot start on its supergraph, for an operator: the file, the line and column
 * when it does not parse, and how to make it again. The gateway never starts without one.
 */
function supergraphLoadError(file: string, error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT') {
    return new Error(`le supergraphe ${file} est introuvable : composez-le avec « npm run compose » (ou corrigez SUPERGRAPH_PATH).`, { cause: error });
  }
  const location = error instanceof GraphQLError ? error.locations?.[0] : undefined;
  const at = location ? `, ligne ${location.line}, colonne ${location.column}` : '';
  // graphql-js words its syntax errors in English; the line and column say where, which is what helps.
  const what = reason.startsWith('Syntax Error:') ? 'erreur de syntaxe GraphQL.' : `ce n'est pas un supergraphe valide (${reason.replace(/[.!]?$/, '')}).`;
  return new Error(`le supergraphe ${file} ne se charge pas${at} : ${what} Recomposez-le avec « npm run compose ».`, { cause: error });
}

/**
 * The response cache's key from the hash Apollo Server already has of the operation's text,
 * rather than hashing the text again on every request.
 */
function responseCacheKey(requestContext: GraphQLRequestContext<Record<string, unknown>>, keyData: unknown): string {
  // The plugin's key is an object; its `source` is the operation's text, which the hash stands for.
  const rest = typeof keyData === 'object' && keyData !== null ? Object.fromEntries(Object.entries(keyData).filter(([key]) => key !== 'source')) : {};
  return `${requestContext.queryHash ?? ''}:${JSON.stringify(rest)}`;
}

function usageReportingOff(): ApolloServerPlugin<GatewayContext>[] {
  return [ApolloServerPluginUsageReportingDisabled(), ApolloServerPluginSchemaReportingDisabled()];
}
