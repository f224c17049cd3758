import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode } from '@pgamr/kit/errors';

/**
 * Puts the request id in every masked internal error, so that a user can quote it to the
 * portal's support, who finds the real cause in the logs (the id is on every log line and is
 * also sent as the `x-request-id` response header).
 */
export function requestIdOnInternalErrors<TContext extends { requestId: string }>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
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
