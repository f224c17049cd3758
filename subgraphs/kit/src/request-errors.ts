import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { badRequest, maskError, RequestErrorCode } from './errors';
import { keepRefusalCode } from './limits/refusals';

// Apollo Server's own refusals of a request that carry an HTTP 4xx but no code (so `maskError`
// would show them as internal errors), by their message; the e2e tests fail if Apollo rewords one.
const UNCODED_REFUSALS: Record<string, string> = {
  'provided sha does not match query': "L'empreinte sha256Hash de la requête persistée ne correspond pas au texte de l'opération.",
  'Unsupported persisted query version': "Cette version de requête persistée n'est pas prise en charge (seule la version 1 l'est).",
};

/**
 * A request Apollo Server refused with an HTTP 4xx status and no code (an APQ hash that does not
 * match its text…) is the client's mistake, not an internal error: BAD_REQUEST, in French.
 */
export function publicRequestError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  if (!(error instanceof GraphQLError) || error.extensions.code !== undefined) return formatted;
  const status = (error.extensions.http as { status?: unknown } | undefined)?.status;
  if (typeof status !== 'number' || status < 400 || status >= 500) return formatted;
  return {
    message: UNCODED_REFUSALS[error.message] ?? 'La requête est invalide.',
    extensions: { code: RequestErrorCode.BadRequest },
  };
}

/**
 * A variable that does not coerce to its type (a `Money` written as a float, a `Date` that is no
 * day…): graphql-js prefixes the type's own refusal with the variable and the value sent, in
 * English. The client gets the type's French message and the path of the input at fault in
 * `field` (`input.requestedAmount`), never its value echoed back (any size, maybe personal).
 */
export function variableCoercionError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  if (!(error instanceof GraphQLError) || formatted.extensions?.code !== 'BAD_USER_INPUT' || !error.message.startsWith('Variable "$')) return formatted;
  const cause = error.originalError;
  const reason = cause instanceof GraphQLError && cause.extensions.code === 'BAD_USER_INPUT' ? cause.message : undefined;
  // "… at "input.requestedAmount"; <reason>": the path is the last quoted one before the reason.
  const prefix = reason && error.message.endsWith(`; ${reason}`) ? error.message.slice(0, -(reason.length + 2)) : error.message;
  const at = / at "([^"]+)"$/.exec(prefix);
  const variable = /^Variable "\$([A-Za-z_][A-Za-z0-9_]*)"/.exec(prefix)?.[1];
  const field = at?.[1] ?? variable;
  return {
    message: reason ?? 'Une variable de la requête n’a pas le type attendu.',
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    extensions: { code: 'BAD_USER_INPUT', ...(field ? { field } : {}) },
  };
}

/**
 * Apollo Server `formatError` for the gateway and every subgraph: refusals keep their own code
 * and French message, Apollo's uncoded refusals become BAD_REQUEST, a variable of the wrong type
 * gets its French reason and field, and anything else without a public code is masked (`maskError`).
 */
export function formatPublicError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  return maskError(variableCoercionError(publicRequestError(keepRefusalCode(formatted, error), error), error), error);
}

/**
 * Refuses, before any other plugin or the executor looks at it, a request whose `operationName`
 * names no operation of its document (or that leaves out the name of one of several): Apollo
 * Server lets it through to execution, where the gateway's executor fails with an HTTP 500.
 * The name is not repeated in the message: it is the client's input, of any size.
 */
export function operationResolutionPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (operation) return;
          throw badRequest(
            request.operationName
              ? 'Le document ne définit aucune opération du nom donné dans operationName.'
              : 'Le document définit plusieurs opérations : précisez laquelle exécuter dans operationName.',
            RequestErrorCode.OperationResolutionFailure,
          );
        },
      };
    },
  };
}

