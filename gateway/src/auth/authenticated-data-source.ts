import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { parse, type DocumentNode } from 'graphql';
import type { Logger } from 'pino';
import { SubgraphUnavailableError } from '../subgraphs/subgraph-fetcher';
import { subgraphUnavailableErrors } from '../subgraphs/unavailable-errors';
import type { GatewayContext } from './gateway-context';

type DataSourceConfig = ConstructorParameters<typeof RemoteGraphQLDataSource<GatewayContext>>[0];
type SubgraphResponse = Awaited<ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']>>;

/**
 * Sends each subgraph the caller's own access token (which the subgraph verifies again: it
 * never trusts the gateway blindly) and the request id, so one id follows a request everywhere.
 * A subgraph that cannot answer becomes an error on the fields it owns, so the other subgraphs'
 * data still reaches the client.
 */
export class AuthenticatedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  // A constructor parameter, not a field: the base constructor assigns its config onto `this`,
  // and a declared field would be reset after it.
  constructor(
    config: DataSourceConfig,
    private readonly subgraph: { name: string; logger: Logger },
  ) {
    super(config);
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http?.headers;
    // Health checks run without a request context.
    const { requestId, authorization } = context as Partial<GatewayContext>;
    if (!headers) return;
    if (requestId) headers.set('x-request-id', requestId);
    if (authorization) headers.set('authorization', authorization);
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<SubgraphResponse> {
    try {
      return await super.process(options);
    } catch (error) {
      if (!(error instanceof SubgraphUnavailableError)) throw error;
      const { requestId } = options.context as Partial<GatewayContext>;
      // The detail (URL, cause) is for the logs. The client gets errors on the fields this
      // subgraph owns, which maskError shows with a generic message only.
      this.subgraph.logger.error({ err: error, subgraph: this.subgraph.name, reqId: requestId }, 'subgraph unavailable');
      const representations: unknown = options.request.variables?.representations;
      const errors = subgraphUnavailableErrors(
        ('document' in options ? options.document : undefined) ?? parseQuietly(options.request.query),
        Array.isArray(representations) ? representations.length : undefined,
      );
      return { errors };
    }
  }
}

/** The query planner does not always hand over the parsed subgraph operation; its text is there. */
function parseQuietly(query: string | undefined): DocumentNode | undefined {
  try {
    return query ? parse(query) : undefined;
  } catch {
    return undefined;
  }
}
