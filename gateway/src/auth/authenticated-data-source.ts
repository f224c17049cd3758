import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayContext } from './gateway-context';

/**
 * Sends each subgraph the caller's own access token (which the subgraph verifies again: it
 * never trusts the gateway blindly) and the request id, so one id follows a request everywhere.
 */
export class AuthenticatedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http?.headers;
    // Health checks run without a request context.
    const { requestId, authorization } = context as Partial<GatewayContext>;
    if (!headers) return;
    if (requestId) headers.set('x-request-id', requestId);
    if (authorization) headers.set('authorization', authorization);
  }
}
