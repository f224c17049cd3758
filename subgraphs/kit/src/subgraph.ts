import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { JWTVerifyGetKey } from 'jose';
import { Kind, parse, type DocumentNode, type GraphQLScalarType } from 'graphql';
import type { Logger } from 'pino';
import { systemClock, type Clock } from './clock';
import { createDirectoryClient, directoryFor, type DirectoryClient } from './auth/directory-client';
import { createMandatesClient, mandateRegistryFor, type FetchMandateInForce } from './auth/mandates-client';
import { createRightsClient, RightSet } from './auth/rights-client';
import type { CatalogDeclaration } from './catalog/declaration';
import { registerCatalog, type CatalogRegistrationOutcome } from './catalog/registration';
import { hopVerifier, SESSION_ASSERTION_HEADER, sessionAssertions, type HopRequest } from './auth/session-assertion';
import { remoteSessionStatus, sessionChecker, SESSION_STATUS_PATH, withSessionCheck, type FindLiveSessions } from './auth/session-status';
import { createTokenVerifier, remoteKeySet, unauthenticated, type Authentication, type VerifyAuthorization } from './auth/token-verifier';
import { cachedVerifier } from './auth/verification-cache';
import type { PeerClientName, PeerClients, SubgraphContext } from './context';
import { openDatabase, type Database, type DatabaseConnection, type DatabaseDefinition } from './database/orm';
import { isDatabaseUnavailable } from './errors';
import { subgraphGuards } from './guards';
import { registerHealthRoutes } from './health';
import { KIT_SCALARS } from './scalars';
import { createHttpApp } from './http';
import { SUBGRAPH_LIMITS, type OperationLimitsConfig } from './limits';
import { registerMetricsRoute, SubgraphMetrics } from './metrics';
import type { EventBus, Subscription as BusSubscription } from './events/contract';
import { OutboxMessageSchema } from './events/outbox-message.entity';
import { startOutboxRelay, type OutboxRelay } from './events/outbox-relay';
import { startPeriodicJob, type PeriodicJob, type RunningJob } from './periodic-jobs';

/** What a subgraph may build once, after its database is open. */
export interface SubgraphRuntime<TServices> {
  /** Put in every request's context as `services`. */
  services: TServices;
  /** Keys to verify access tokens with; by default the identity subgraph's published JWKS. */
  keySet?: JWTVerifyGetKey;
  /** Which sessions are live; by default asked of the identity subgraph (identity reads its own database). */
  findLiveSessions?: FindLiveSessions;
  /**
   * Extra HTTP routes beside /graphql, /health and /ready. `verifyAuthorization` checks a token's
   * signature and that its session is live, like every GraphQL request.
   */
  registerRoutes?(app: FastifyInstance, helpers: RouteHelpers): void;
  /**
   * Starts the subgraph's consumers on the process's event bus (`consume`, `follow`), once the
   * server listens; the kit stops them before the database closes. Not called without a bus.
   */
  startConsumers?(bus: EventBus): Promise<BusSubscription[]>;
  /** Work done now and then (PeriodicJob), once the server listens; the kit stops it before the database closes. */
  jobs?: PeriodicJob[];
}

/** What a subgraph's own routes may need of the kit and of its configuration. */
export interface RouteHelpers {
  verifyAuthorization: VerifyAuthorization;
  /**
   * `verifyAuthorization` for a request of a hop of a gateway request: its session is not asked
   * of identity again when the request carries a valid assertion that it was just found live
   * (services' decision point, asked by the subgraphs; see session-assertion.ts).
   */
  verifyRequest: (request: FastifyRequest) => Promise<Authentication>;
  /** The subgraph's clock: what its rules read as now (BuildOptions.clock). */
  clock: Clock;
  /** Whether this process runs with its demo data set (never unless asked, in production). */
  seedDemoData: boolean;
  /** Who may register catalog declarations: `CATALOG_REGISTRATION_TOKEN`'s bearers; unset, anyone in development and no one in production. */
  catalogAccess: { production: boolean; token?: string };
}

/** One module of `buildSubgraphSchema` (the package's public entry names the type only in its signature). */
type SubgraphSchemaModule = Exclude<Extract<Parameters<typeof buildSubgraphSchema>[0], readonly unknown[]>[number], DocumentNode>;

/**
 * A subgraph's resolver map, as `buildSubgraphSchema` takes it: any context. Each subgraph types
 * its own with the `Resolvers` generated from its SDL and its context (`npm run codegen`,
 * `src/generated/resolvers-types.ts`), which this accepts as it is.
 */
export type SubgraphResolverMap = NonNullable<SubgraphSchemaModule['resolvers']>;

/** Everything that makes one subgraph: the rest is the kit's. */
interface SubgraphDefinitionFields<TLoaders, TServices, TClients extends PeerClientName> extends DatabaseDefinition {
  name: string;
  typeDefs: DocumentNode;
  /** Typed by the subgraph with its generated `Resolvers` (its context's): see SubgraphResolverMap. */
  resolvers: SubgraphResolverMap;
  /**
   * The other subgraphs it asks per request, with the caller's token (`context.directory`,
   * `context.mandates`): only these are configured and built.
   */
  clients?: readonly TClients[];
  /** Fresh loaders for one request, over that request's EntityManager; `clock` says when now is. */
  createLoaders(em: EntityManager, clock: Clock): TLoaders;
  /** Inserts the reference data every environment needs (a catalog…); idempotent, runs at every start. */
  seedReferenceData?(em: EntityManager): Promise<void>;
  /** Inserts the demo data set; must be idempotent (it runs at every start in development). */
  seedDemoData?(em: EntityManager): Promise<void>;
  /**
   * The online services this subgraph serves, their owning directions and demonstration rights
   * (`loadCatalogDeclaration(__dirname)`, its `catalog.json`): registered with the services
   * subgraph, which owns the catalog, at every start (R7, R23).
   */
  catalog?: CatalogDeclaration;
  /**
   * Raises events (issue 19): the kit gives it the outbox (`recordEvent` in its transactions) and
   * runs the relay that publishes it on the event bus.
   */
  events?: boolean;
  /** Consumes events (SubgraphRuntime.startConsumers): the process opens the event bus for it. */
  consumesEvents?: boolean;
  /** Builds process-wide services once (a key store, a client…); omit when there are none. `bus`: the process's event bus, when one is configured. */
  setup?(database: Database, kit: { clock: Clock; logger: Logger; bus?: EventBus }): Promise<SubgraphRuntime<TServices>>;
}

/**
 * A subgraph's definition; `TClients`, the clients its context has, must be the ones it names in
 * `clients`, so that no resolver finds one missing.
 */
export type SubgraphDefinition<TLoaders, TServices = undefined, TClients extends PeerClientName = never> = SubgraphDefinitionFields<
  TLoaders,
  TServices,
  TClients
> &
  ([TClients] extends [never] ? unknown : { clients: readonly TClients[] });

const DEFAULT_TOKEN_CACHE_MS = 60_000;

export interface BuildOptions {
  database: DatabaseConnection;
  logger: Logger;
  seedDemoData: boolean;
  /** The identity subgraph's JWKS, to verify access tokens with. */
  jwksUrl: string;
  /** Identity's session state; by default `/sessions/v1/status` beside the JWKS. */
  sessionsUrl?: string;
  /**
   * `SESSION_ASSERTION_SECRET`, shared with the gateway: a request that carries an assertion
   * signed with it for its session is not asked about again. Unset: every request is asked about.
   */
  sessionAssertionSecret?: Buffer;
  /** Least time between two refetches of the JWKS for an unknown key id. */
  jwksCooldownMs?: number;
  /** Longest time a verified access token is trusted without a new signature check (default 60 s; 0: every request). */
  tokenCacheMs?: number;
  /** The services subgraph's authorization decision point. */
  rightsUrl: string;
  /** The identity subgraph's directory of firm users (its members are asked on the same origin); for a subgraph that names the `directory` client. */
  directoryUrl?: string;
  /** The mandates subgraph's decision point on mandates in force; for a subgraph that names the `mandates` client. */
  mandatesUrl?: string;
  /** The services subgraph's catalog registrations; without it, a declared catalog is not registered. */
  catalogUrl?: string;
  /** `CATALOG_REGISTRATION_TOKEN`: sent with a registration, asked of one by services. */
  catalogToken?: string;
  /** Production serves `/metrics` only behind `metricsToken`; development serves it open when unset. */
  production?: boolean;
  metricsToken?: string;
  /** Depth, aliases, root fields, directives, tokens and cost of what reaches this subgraph (default SUBGRAPH_LIMITS). */
  limits?: OperationLimitsConfig;
  /**
   * What every rule reads as now (periods, dates, deadlines, token expiry): the system clock
   * unless a test passes its own. Never chosen from the environment.
   */
  clock?: Clock;
  /**
   * The process's event bus (createEventBus), owned by the caller, which closes it after the
   * subgraph. Without it, the outbox's events wait in the outbox and consumers do not start.
   */
  eventBus?: EventBus;
}

export interface BuiltSubgraph {
  app: FastifyInstance;
  database: Database;
  /** The registration of its catalog declaration with services, when it has one and a `catalogUrl`: settles once services answers. */
  catalogRegistration?: Promise<CatalogRegistrationOutcome>;
  /** How long building took, phase by phase (ms), for the start's log line (issue 16). */
  builtInMs: Record<string, number>;
  close(): Promise<void>;
}

/**
 * Builds a subgraph once: database (migrated, optionally seeded), schema, Apollo Server and the
 * HTTP app with `/graphql`, `/health`, `/ready` and `/metrics`. Does not listen: the caller decides where.
 */
export async function buildSubgraph<TLoaders, TServices, TClients extends PeerClientName = never>(
  definition: SubgraphDefinition<TLoaders, TServices, TClients>,
  options: BuildOptions,
): Promise<BuiltSubgraph> {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  // A subgraph that raises events has the kit's outbox table, like the audit trail's.
  const entities = definition.events && !definition.entities.includes(OutboxMessageSchema) ? [...definition.entities, OutboxMessageSchema] : definition.entities;
  const database = await openDatabase(options.database, { entities, migrations: definition.migrations }, logger);
  const bus = options.eventBus;
  try {
    const seedsStarted = performance.now();
    if (definition.seedReferenceData) {
      await database.orm.em.fork().transactional((em) => definition.seedReferenceData!(em));
    }
    if (options.seedDemoData && definition.seedDemoData) {
      await database.orm.em.fork().transactional((em) => definition.seedDemoData!(em));
      logger.info('demo data ensured');
    }
    const seedsDone = performance.now();

    const runtime: SubgraphRuntime<TServices> = definition.setup
      ? await definition.setup(database, { clock, logger, ...(bus ? { bus } : {}) })
      : { services: undefined as TServices };
    // Every subgraph call of a request carries the same token: one ES256 check per token per while;
    // whether its session is still live is asked on every request (R2, R6), of identity unless the
    // gateway asserts it asked for this request (session-assertion.ts).
    const epochMs = () => clock.now().getTime();
    const verifyToken = cachedVerifier(
      createTokenVerifier(runtime.keySet ?? remoteKeySet(options.jwksUrl, options.jwksCooldownMs), undefined, epochMs),
      { maxAgeMs: options.tokenCacheMs ?? DEFAULT_TOKEN_CACHE_MS },
      epochMs,
    );
    let findLiveSessions = runtime.findLiveSessions;
    let closeSessionStatus = (): Promise<void> => Promise.resolve();
    if (!findLiveSessions) {
      const remote = remoteSessionStatus(options.sessionsUrl ?? new URL(SESSION_STATUS_PATH, options.jwksUrl).toString());
      findLiveSessions = remote;
      closeSessionStatus = () => remote.close();
    }
    const isLive = sessionChecker(findLiveSessions);
    const verifyAuthorization = withSessionCheck(verifyToken, isLive, logger);
    const verifyHop = hopVerifier(verifyToken, isLive, logger, options.sessionAssertionSecret ? sessionAssertions(options.sessionAssertionSecret) : undefined);
    const verifyRequest = async (request: FastifyRequest) => (await verifyHop(hopRequestOf(request))).auth;

    const fetchRights = createRightsClient(options.rightsUrl, logger);
    const peerClients = peerClientsOf(definition.clients ?? [], options);

    const metrics = new SubgraphMetrics(definition.name);
    metrics.countStatementsOf(database.orm);
    const app = createHttpApp(logger);
    // Before the GraphQL route exists: Fastify gives a plugin's routes the hooks added before it.
    metrics.countGraphqlRequestsOf(app);
    const schema = buildSubgraphSchema([
      { typeDefs: definition.typeDefs, resolvers: { ...kitScalarsOf(definition.typeDefs), ...definition.resolvers } },
    ]);
    // Limits, bad input and unresolvable operations refused before any resolver runs.
    const { plugins: guardPlugins, ...guards } = subgraphGuards<SubgraphContext<TLoaders, TServices, TClients>>(schema, options.limits ?? SUBGRAPH_LIMITS);
    const apollo = new ApolloServer<SubgraphContext<TLoaders, TServices, TClients>>({
      schema,
      ...guards,
      includeStacktraceInErrorResponses: false,
      // run.ts owns signal handling so that the database closes after the last request.
      stopOnTerminationSignals: false,
      plugins: [
        ...guardPlugins,
        fastifyApolloDrainPlugin(app),
        ApolloServerPluginUsageReportingDisabled(),
        ApolloServerPluginInlineTraceDisabled(),
        logUnexpectedErrors<TLoaders, TServices, TClients>(),
      ],
    });
    await apollo.start();
    await app.register(fastifyApollo(apollo), {
      path: '/graphql',
      context: async (request) => {
        const hop = hopRequestOf(request);
        const { auth, sessionAssertion } = await verifyHop(hop);
        // A token that is no longer good is refused whole (HTTP 401), the same way at every hop;
        // when identity cannot tell, the refusal is an outage (HTTP 503), never a bad token.
        if (auth.status === 'rejected' || auth.status === 'unavailable') throw unauthenticated(auth, true);
        const em = database.orm.em.fork();
        let rights: Promise<RightSet> | undefined;
        const authorization = auth.status === 'authenticated' ? `Bearer ${auth.token}` : '';
        return {
          em,
          loaders: definition.createLoaders(em, clock),
          clock,
          logger: request.log as Logger,
          requestId: hop.requestId,
          auth,
          services: runtime.services,
          rights: () =>
            (rights ??= auth.status === 'authenticated' && !auth.viewer.passwordChangeRequired
              ? fetchRights(authorization, { requestId: hop.requestId, ...(sessionAssertion ? { sessionAssertion } : {}) })
              : Promise.resolve(RightSet.EMPTY)),
          ...peerClients(authorization),
        };
      },
    });
    registerHealthRoutes(app, database.orm);
    const metricsAccess = { production: options.production ?? false, ...(options.metricsToken ? { token: options.metricsToken } : {}) };
    if (!registerMetricsRoute(app, metrics, metricsAccess)) logger.info('/metrics not served: METRICS_TOKEN is unset in production');
    const catalogAccess = { production: options.production ?? false, ...(options.catalogToken ? { token: options.catalogToken } : {}) };
    runtime.registerRoutes?.(app, { verifyAuthorization, verifyRequest, clock, seedDemoData: options.seedDemoData, catalogAccess });

    const stopRegistering = new AbortController();
    const catalogRegistration = startCatalogRegistration(definition, options, stopRegistering.signal);

    // Publishing and consuming start once the server listens, and stop before the database closes.
    let relay: OutboxRelay | undefined;
    let consumers: Promise<BusSubscription[]> | undefined;
    let jobs: RunningJob[] | undefined;
    if (definition.events && !bus) logger.warn('no event bus configured (NATS_URL, EVENT_BUS_DATABASE_URL): events stay in the outbox until one is');
    app.addHook('onListen', async () => {
      jobs ??= (runtime.jobs ?? []).filter((job) => bus || !job.needsEventBus).map((job) => startPeriodicJob(job, clock, logger));
      if (!bus) return;
      if (definition.events) relay ??= startOutboxRelay({ orm: database.orm, bus, logger });
      // A consumer that cannot start is logged; the subgraph serves on.
      consumers ??= runtime.startConsumers?.(bus).catch((error: unknown) => {
        logger.error({ err: error }, 'event consumers did not start');
        return [];
      });
    });
    const stopBackgroundWork = async () => {
      await Promise.all((jobs ?? []).map((job) => job.stop()));
      await Promise.all(((await consumers) ?? []).map((subscription) => subscription.stop()));
      await relay?.stop();
    };

    return {
      app,
      database,
      ...(catalogRegistration ? { catalogRegistration } : {}),
      builtInMs: { ...database.openedInMs, seeds: Math.round(seedsDone - seedsStarted), server: Math.round(performance.now() - seedsDone) },
      async close() {
        stopRegistering.abort();
        // Stopping Apollo drains the HTTP server (in-flight requests finish) through the plugin.
        await apollo.stop();
        await stopBackgroundWork();
        await closeSessionStatus();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** What a request carries about its caller, as the kit's hop verification reads it. */
function hopRequestOf(request: FastifyRequest): HopRequest {
  const assertion = request.headers[SESSION_ASSERTION_HEADER];
  return {
    authorization: request.headers.authorization,
    sessionAssertion: typeof assertion === 'string' ? assertion : undefined,
    requestId: String(request.id),
  };
}

/**
 * The clients of other subgraphs a subgraph named, built once; per request, bound to the caller's
 * token. A named client without its URL stops the start.
 */
function peerClientsOf<TClients extends PeerClientName>(
  names: readonly TClients[],
  options: BuildOptions,
): (authorization: string) => Pick<PeerClients, TClients> {
  const named = new Set<PeerClientName>(names);
  const urlOf = (client: PeerClientName, url: string | undefined): string => {
    if (!url) throw new Error(`le client ${client} est demandé sans son URL`);
    return url;
  };
  const directory: DirectoryClient | undefined = named.has('directory') ? createDirectoryClient(urlOf('directory', options.directoryUrl)) : undefined;
  const fetchMandate: FetchMandateInForce | undefined = named.has('mandates') ? createMandatesClient(urlOf('mandates', options.mandatesUrl)) : undefined;
  return (authorization) => {
    const clients: Partial<PeerClients> = {
      ...(directory ? { directory: directoryFor(directory, authorization) } : {}),
      ...(fetchMandate ? { mandates: mandateRegistryFor(fetchMandate, authorization) } : {}),
    };
    // Exactly the clients named, each built above: what TClients promises the resolvers.
    return clients as Pick<PeerClients, TClients>;
  };
}

/**
 * Sends the subgraph's catalog declaration to services in the background: the subgraph serves
 * meanwhile, and its services are refused by the decision point until they are registered.
 * Demonstration rights go only from a subgraph that runs with its demo data (and services
 * keeps them only if it does too). Production registers only with a token.
 */
function startCatalogRegistration<TLoaders, TServices, TClients extends PeerClientName>(
  definition: SubgraphDefinition<TLoaders, TServices, TClients>,
  options: BuildOptions,
  signal: AbortSignal,
): Promise<CatalogRegistrationOutcome> | undefined {
  const { catalog } = definition;
  if (!catalog || !options.catalogUrl) return undefined;
  if (options.production && !options.catalogToken) {
    options.logger.warn('online services not registered with the services catalog: CATALOG_REGISTRATION_TOKEN is unset in production');
    return undefined;
  }
  return registerCatalog({
    url: options.catalogUrl,
    ...(options.catalogToken ? { token: options.catalogToken } : {}),
    registration: { subgraph: definition.name, ...catalog, demoRights: options.seedDemoData ? catalog.demoRights : [] },
    logger: options.logger,
    signal,
  });
}

/**
 * Internal errors are masked in responses (see formatPublicError); their cause goes to the log, without
 * the values of a failed statement (see the logger's error serializer).
 */
function logUnexpectedErrors<TLoaders, TServices, TClients extends PeerClientName>(): ApolloServerPlugin<SubgraphContext<TLoaders, TServices, TClients>> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, operationName }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            if (code !== undefined && code !== 'INTERNAL_SERVER_ERROR') continue;
            const cause = { err: error.originalError ?? error, path: error.path, operationName };
            if (isDatabaseUnavailable(error)) contextValue.logger.warn(cause, 'database unavailable: refused as retryable');
            else contextValue.logger.error(cause, 'unexpected error while resolving');
          }
        },
      };
    },
  };
}

/** The kit's scalars (DateTime, Date, Money…) a subgraph's SDL declares: the kit resolves them. */
function kitScalarsOf(typeDefs: DocumentNode): Record<string, GraphQLScalarType> {
  const declared = typeDefs.definitions.flatMap((definition) => (definition.kind === Kind.SCALAR_TYPE_DEFINITION ? [definition.name.value] : []));
  return Object.fromEntries(declared.flatMap((name) => {
    const scalar = KIT_SCALARS.get(name);
    return scalar ? [[name, scalar]] : [];
  }));
}

/** A subgraph's SDL, read once from the `schema.graphql` at the root of its folder. */
export function loadSchemaFile(subgraphSourceDir: string): DocumentNode {
  return parse(readFileSync(path.join(subgraphSourceDir, '..', 'schema.graphql'), 'utf8'));
}
