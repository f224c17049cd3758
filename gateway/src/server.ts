import { disableApolloTelemetry } from './no-telemetry';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import { createTokenVerifier, remoteKeySet } from '@pgamr/kit/auth';
import { maskError } from '@pgamr/kit/errors';
import { createHttpApp } from '@pgamr/kit/http';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { AuthenticatedDataSource } from './auth/authenticated-data-source';
import { gatewayContext, type GatewayContext } from './auth/gateway-context';
import { subgraphUrl, type GatewayConfig } from './config';
import { FileSupergraphManager } from './supergraph/file-supergraph-manager';
import { checkSubgraphs, subgraphsOf, type SubgraphEndpoint } from './supergraph/subgraph-readiness';

export interface BuiltGateway {
  app: FastifyInstance;
  gateway: ApolloGateway;
  /** The subgraphs the current supergraph routes to, with the URLs the gateway uses. */
  subgraphs(): SubgraphEndpoint[];
  close(): Promise<void>;
}

/**
 * Builds the gateway once: the supergraph from its file (watched), Apollo Server, and the HTTP
 * app with `/graphql`, `/health` and `/ready`. Does not listen: the caller decides where.
 */
export async function buildGateway(config: GatewayConfig, logger: Logger): Promise<BuiltGateway> {
  disableApolloTelemetry();
  let subgraphs: SubgraphEndpoint[] = [];
  const gateway = new ApolloGateway({
    supergraphSdl: new FileSupergraphManager(config.supergraphPath, logger),
    buildService: ({ name, url }) => new AuthenticatedDataSource({ url: subgraphUrl(config, name, url ?? '') }),
    logger,
  });
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => {
    subgraphs = subgraphsOf(coreSupergraphSdl).map(({ name, url }) => ({ name, url: subgraphUrl(config, name, url) }));
  });

  const app = createHttpApp(logger);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError: maskError,
    includeStacktraceInErrorResponses: false,
    introspection: !config.production,
    stopOnTerminationSignals: false,
    plugins: [
      fastifyApolloDrainPlugin(app),
      // The IDE would load from a public CDN; the portal serves its own (see README).
      ApolloServerPluginLandingPageDisabled(),
      ...(config.usageReporting ? [] : usageReportingOff()),
    ],
  });
  await apollo.start();
  const verify = createTokenVerifier(remoteKeySet(config.jwksUrl, config.jwksCooldownMs));
  await app.register(fastifyApollo(apollo), { path: '/graphql', context: gatewayContext(verify) });

  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async (_request, reply) => {
    const states = await checkSubgraphs(subgraphs);
    const ready = subgraphs.length > 0 && states.every((state) => state.ready);
    const body = { status: ready ? 'ready' : 'unavailable', subgraphs: Object.fromEntries(states.map((s) => [s.name, s.ready])) };
    return reply.code(ready ? 200 : 503).send(body);
  });

  return {
    app,
    gateway,
    subgraphs: () => subgraphs,
    // Stopping Apollo drains the HTTP server, then stops the gateway and its file watcher.
    close: () => apollo.stop(),
  };
}

function usageReportingOff(): ApolloServerPlugin<GatewayContext>[] {
  return [ApolloServerPluginUsageReportingDisabled(), ApolloServerPluginSchemaReportingDisabled()];
}
