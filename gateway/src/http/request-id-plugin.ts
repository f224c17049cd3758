import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode, isPublicCode } from '@pgamr/kit/errors';
import type { Logger } from 'pino';

/**
 * Puts the request id in every masked internal error, so that a user can quote it to the
 * portal's support, and logs the cause each masks (a query-planner error, a subgraph's answer,
 * with the subgraph's name) with that id: the same id is on the subgraphs' log lines of the
 * request (`x-request-id` is forwarded), and is sent back as the `x-request-id` response header.
 */
export function requestIdOnInternalErrors<TContext extends { requestId: string }>(logger: Logger): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, operationName }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            if (typeof code === 'string' && isPublicCode(code)) continue;
            const subgraph = error.extensions?.serviceName;
            logger.error(
              { reqId: contextValue.requestId, err: error.originalError ?? error, path: error.path, operationName, ...(typeof subgraph === 'string' ? { subgraph } : {}) },
              'internal error, masked for the client',
            );
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((error) =>
            error.extensions?.code === ErrorCode.Internal
              ? { ...error, extensions: { ...error.extensions, requestId: contextValue.requestId } }
              : error,
          );
        },
      };
    },
  };
}
