import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { CacheHint } from '@apollo/cache-control-types';
import { SESSION_ASSERTION_HEADER } from '@pgamr/kit/auth';
import { ErrorCode } from '@pgamr/kit/errors';
import { GraphQLError, parse, type DocumentNode } from 'graphql';
import type { Logger } from 'pino';
import type { GatewayContext } from '../auth/gateway-context';
import { isQueryText, SubgraphUnavailableError, type SubgraphCall } from './subgraph-client';
import { subgraphUnavailableErrors } from './unavailable-errors';

type SubgraphResponse = Awaited<ReturnType<GraphQLDataSource<GatewayContext>['process']>>;

/**
 * How the gateway calls one subgraph. Each subgraph receives the caller's own access token
 * (which it verifies again: it never trusts the gateway blindly) and the request id, so one id
 * follows a request everywhere, with the gateway's assertion that the token's session was found
 * live for this request (which the subgraph checks against the token and the id). A subgraph that cannot answer becomes an error on the fields it
 * owns, so the other subgraphs' data still reaches the client.
 *
 * It replaces `RemoteGraphQLDataSource`, which builds a node-fetch `Request` and `Headers` per
 * call even when nothing reads them; what it does with the answer is kept: a non-2xx status is an
 * error carrying the status (UNAUTHENTICATED for 401, FORBIDDEN for 403), and each subgraph's
 * `Cache-Control` restricts how long the whole response may be kept (a subgraph that says
 * nothing allows nothing).
 */
export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  constructor(
    private readonly url: string,
    private readonly call: SubgraphCall,
    private readonly subgraph: { name: string; logger: Logger },
  ) {}

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<SubgraphResponse> {
    const { request } = options;
    if (!request.query) throw new Error('Missing query');
    // Health checks run without a request context.
    const context: Partial<GatewayContext> = options.context;
    const { requestId, authorization, sessionAssertion } = context;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (requestId) headers['x-request-id'] = requestId;
    if (authorization) headers.authorization = authorization;
    // Built here, never copied from the client's request: only the gateway's own assertion goes out.
    if (sessionAssertion) headers[SESSION_ASSERTION_HEADER] = sessionAssertion;
    const body = JSON.stringify({
      query: request.query,
      variables: request.variables,
      operationName: request.operationName,
      extensions: request.extensions,
    });
    try {
      const reply = await this.call(this.url, body, headers, isQueryText(request.query));
      if (reply.status < 200 || reply.status >= 300) throw errorFromReply(reply);
      if (typeof reply.body !== 'object' || reply.body === null) throw new Error('Expected a JSON response body from the subgraph');
      restrictCachePolicy(options, reply.cacheControl);
      return reply.body;
    } catch (error) {
      if (!(error instanceof SubgraphUnavailableError)) throw error;
      // The detail (URL, cause) is for the logs. The client gets errors on the fields this
      // subgraph owns, which maskError shows with a generic message only.
      this.subgraph.logger.error({ err: error, subgraph: this.subgraph.name, reqId: requestId }, 'subgraph unavailable');
      const representations: unknown = request.variables?.representations;
      const errors = subgraphUnavailableErrors(
        ('document' in options ? options.document : undefined) ?? parseQuietly(request.query),
        Array.isArray(representations) ? representations.length : undefined,
        error.retryAfterSeconds,
      );
      return { errors };
    }
  }
}

/** As `RemoteGraphQLDataSource` does with `honorSubgraphCacheControlHeader`. */
function restrictCachePolicy(options: GraphQLDataSourceProcessOptions<GatewayContext>, cacheControl: string | undefined): void {
  // Only a client's operation has a response to cache; health checks and schema loads do not.
  if (!('incomingRequestContext' in options)) return;
  const policy: unknown = options.incomingRequestContext.overallCachePolicy;
  if (!isRestrictable(policy)) return;
  const hint: CacheHint = { maxAge: 0 };
  for (const directive of (cacheControl ?? '').toLowerCase().split(',')) {
    const [name, value] = directive.trim().split('=');
    if (name === 'max-age' && value && /^[0-9]+$/.test(value)) hint.maxAge = Number(value);
    else if (name === 'private') hint.scope = 'PRIVATE';
    else if (name === 'public') hint.scope = 'PUBLIC';
  }
  policy.restrict(hint);
}

const isRestrictable = (policy: unknown): policy is { restrict(hint: CacheHint): void } =>
  typeof policy === 'object' && policy !== null && 'restrict' in policy && typeof policy.restrict === 'function';

function errorFromReply(reply: { status: number; statusText: string; body: unknown }): GraphQLError {
  const code = reply.status === 401 ? ErrorCode.Unauthenticated : reply.status === 403 ? ErrorCode.Forbidden : undefined;
  return new GraphQLError(`${reply.status}: ${reply.statusText}`, {
    extensions: { ...(code ? { code } : {}), response: { status: reply.status, statusText: reply.statusText, body: reply.body } },
  });
}

/** The query planner does not always hand over the parsed subgraph operation; its text is there. */
function parseQuietly(query: string): DocumentNode | undefined {
  try {
    return parse(query);
  } catch {
    return undefined;
  }
}
