import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { CATALOG_CODES, catalogEntry, type CatalogCode } from './error-catalog';

/**
 * The stable error codes clients may branch on, by name; each is a code of the catalog
 * (`error-catalog.ts`, which says what it means and what comes with it) or the kit does not
 * compile. Anything else that reaches a response is an unexpected failure and is masked as
 * INTERNAL_SERVER_ERROR.
 */
export const ErrorCode = {
  BadUserInput: 'BAD_USER_INPUT',
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  NotFound: 'NOT_FOUND',
  Conflict: 'CONFLICT',
  PasswordChangeRequired: 'PASSWORD_CHANGE_REQUIRED',
  TooManyAttempts: 'TOO_MANY_ATTEMPTS',
  /** The gateway's rate limits (HTTP 429 with Retry-After). */
  RateLimited: 'RATE_LIMITED',
  /** Live notifications: one more stream than a user may hold open on a gateway process (HTTP 429, WebSocket error). */
  TooManyStreams: 'TOO_MANY_STREAMS',
  /**
   * A dependency could not answer (a subgraph, the database, the rights decision point, identity's
   * directory, session state or key set): the fields that needed it are refused, never answered
   * FORBIDDEN, NOT_FOUND or UNAUTHENTICATED; retrying later can help (`retryAfterSeconds` when known).
   */
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
  Internal: 'INTERNAL_SERVER_ERROR',
} as const satisfies Record<string, CatalogCode>;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * Codes of a request refused before its operation runs, raised by Apollo Server itself or by the
 * kit on its behalf (an HTTP-level mistake, an operation name the document does not define, an
 * APQ hash that does not match its text): safe to show as they are.
 */
export const RequestErrorCode = {
  BadRequest: 'BAD_REQUEST',
  ParseFailed: 'GRAPHQL_PARSE_FAILED',
  ValidationFailed: 'GRAPHQL_VALIDATION_FAILED',
  OperationResolutionFailure: 'OPERATION_RESOLUTION_FAILURE',
  PersistedQueryNotFound: 'PERSISTED_QUERY_NOT_FOUND',
  PersistedQueryNotSupported: 'PERSISTED_QUERY_NOT_SUPPORTED',
} as const satisfies Record<string, CatalogCode>;
export type RequestErrorCode = (typeof RequestErrorCode)[keyof typeof RequestErrorCode];

/**
 * The stable codes of an operation refused for its shape before it runs (HTTP 400), at the
 * gateway and, with larger limits, at every subgraph (`limits/`); and of an operation outside
 * the gateway's manifest.
 */
export const RefusalCode = {
  TooDeep: 'QUERY_TOO_DEEP',
  TooManyAliases: 'TOO_MANY_ALIASES',
  TooManyRootFields: 'TOO_MANY_ROOT_FIELDS',
  TooManyDirectives: 'TOO_MANY_DIRECTIVES',
  TooManyTokens: 'TOO_MANY_TOKENS',
  TooComplex: 'QUERY_TOO_COMPLEX',
  IntrospectionNotAllowed: 'INTROSPECTION_NOT_ALLOWED',
  PersistedQueryNotAllowed: 'PERSISTED_QUERY_NOT_ALLOWED',
} as const satisfies Record<string, CatalogCode>;
export type RefusalCode = (typeof RefusalCode)[keyof typeof RefusalCode];

// What may reach a client as it is: the catalog's codes, less the one masked errors are given.
const publicCodes = new Set<string>(CATALOG_CODES.filter((code) => !catalogEntry(code).masked));

/**
 * Whether a code may reach a client as it is: a code of the catalog, other than the masked
 * INTERNAL_SERVER_ERROR. Anything else is masked as an internal error, so a code left out of
 * the catalog never reaches a client.
 */
export const isPublicCode = (code: string): boolean => publicCodes.has(code);
/** A refused operation: French message, stable code, the limit when there is one; HTTP 400. */
export function refusal(code: RefusalCode, message: string, details: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...details, code, http: { status: 400 } } });
}

/** A request refused before its operation runs, for a mistake of the client's: HTTP 400 unless said otherwise. */
export function badRequest(
  message: string,
  code: RequestErrorCode = RequestErrorCode.BadRequest,
  status = 400,
): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status } } });
}

export const INTERNAL_ERROR_MESSAGE =
  'Une erreur interne est survenue. Veuillez réessayer plus tard ou communiquer avec le soutien du portail.';

/** A domain error for end users: French message, stable code, optional safe details. */
export function domainError(
  code: Exclude<ErrorCode, 'INTERNAL_SERVER_ERROR'>,
  message: string,
  details: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { ...details, code } });
}

export const badUserInput = (message: string, details?: Record<string, unknown>) =>
  domainError(ErrorCode.BadUserInput, message, details);
export const notFound = (message: string) => domainError(ErrorCode.NotFound, message);
export const conflict = (message: string) => domainError(ErrorCode.Conflict, message);
export const SERVICE_UNAVAILABLE_MESSAGE =
  'Ce service est momentanément indisponible. Veuillez réessayer dans quelques instants.';

/**
 * The refusal for a dependency that could not answer (down, too slow, answering 5xx): it is an
 * outage, not a denial, so it carries the retryable code and, when known, how long to wait.
 */
export function serviceUnavailable(options: { retryAfterSeconds?: number; message?: string; wholeRequest?: boolean } = {}): GraphQLError {
  const { retryAfterSeconds } = options;
  const retry = retryAfterSeconds === undefined ? {} : { retryAfterSeconds };
  // A refusal of the whole request is HTTP 503, with Retry-After when the wait is known.
  const http = options.wholeRequest
    ? { http: { status: 503, ...(retryAfterSeconds === undefined ? {} : { headers: new Map([['retry-after', String(retryAfterSeconds)]]) }) } }
    : {};
  return domainError(ErrorCode.ServiceUnavailable, options.message ?? SERVICE_UNAVAILABLE_MESSAGE, { ...retry, ...http });
}

export const forbidden = (message = "Vous n'avez pas l'autorisation d'effectuer cette opération.") =>
  domainError(ErrorCode.Forbidden, message);

/** Extensions that describe our internals: stacks, and the gateway's copy of a subgraph response (with its URL). */
const INTERNAL_EXTENSIONS = ['stacktrace', 'exception', 'response', 'serviceName'];

/**
 * Apollo Server `formatError`: keeps errors that carry a public code, minus any internal
 * extension; answers a database that could not be reached as SERVICE_UNAVAILABLE (an outage,
 * retryable); and replaces everything else (driver errors, SQL, bugs) by a generic French message.
 */
export function maskError(formatted: GraphQLFormattedError, error?: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && publicCodes.has(code)) {
    const extensions = Object.fromEntries(
      Object.entries(formatted.extensions ?? {}).filter(([key]) => !INTERNAL_EXTENSIONS.includes(key)),
    );
    return { ...formatted, extensions };
  }
  const where = { ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
  if (isDatabaseUnavailable(error)) {
    return { message: SERVICE_UNAVAILABLE_MESSAGE, ...where, extensions: { code: ErrorCode.ServiceUnavailable } };
  }
  return { message: INTERNAL_ERROR_MESSAGE, ...where, extensions: { code: ErrorCode.Internal } };
}

/** Node's codes for a connection that could not be made or was lost. */
const NETWORK_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/**
 * PostgreSQL's SQLSTATEs for a server that cannot serve now: class 08 (connection exception),
 * 53300 (too many connections), 57P01–57P03 (shutting down, crashed, starting up).
 */
const UNAVAILABLE_SQLSTATES = /^(08...|53300|57P0[123])$/;
const LOST_CONNECTION_MESSAGES = /Connection terminated|not queryable|Timeout acquiring a connection|timeout exceeded when trying to connect/i;

/**
 * Whether an error (or any error it wraps) says the database could not be reached or stopped
 * answering: an outage, not a bug of the request. Looks at codes, never shows a message.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
    const code = 'code' in current ? current.code : undefined;
    const name = 'name' in current ? current.name : undefined;
    const message = 'message' in current ? current.message : undefined;
    if (typeof code === 'string' && (NETWORK_ERROR_CODES.has(code) || UNAVAILABLE_SQLSTATES.test(code))) return true;
    if (name === 'KnexTimeoutError' || name === 'ConnectionException') return true;
    if (typeof message === 'string' && LOST_CONNECTION_MESSAGES.test(message)) return true;
    current = ('originalError' in current ? current.originalError : undefined) ?? ('cause' in current ? current.cause : undefined);
  }
  return false;
}
