import { unauthenticated, type Authentication, type VerifyAuthorization } from '@pgamr/kit/auth';
import { serviceUnavailable } from '@pgamr/kit/errors';
import { formatPublicError } from '@pgamr/kit/request-errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { prepareLiveOperation, type LiveOperationChecks, type LiveRequest } from './operation';
import type { EndReason, LiveHub, LiveStream } from './streams';

type Authenticated = Extract<Authentication, { status: 'authenticated' }>;

/**
 * An error as the client sees it: the API's formatting, without the HTTP status and headers
 * Apollo Server takes out of `extensions` before a response (the transports use them).
 */
export function publicError(error: GraphQLError): GraphQLFormattedError {
  const formatted = formatPublicError(error.toJSON(), error);
  if (!formatted.extensions || !('http' in formatted.extensions)) return formatted;
  const { http: _http, ...extensions } = formatted.extensions;
  return { ...formatted, extensions };
}

/** Whether a stream may start, for either transport. */
export type Admission =
  /** Refused before any stream starts: 401, 503, 429 (the error's `http.status`). */
  | { kind: 'refused'; error: GraphQLError }
  /** The operation itself is refused (its text, its limits, the schema's rules): sent as the stream's only event. */
  | { kind: 'errors'; errors: GraphQLFormattedError[] }
  | { kind: 'stream'; stream: LiveStream };

/**
 * The one door of both transports: the access token verified with the gateway's own verifier
 * (signature, dates, identity's session state) before anything starts, then the operation
 * checked as Apollo Server checks a query, then a stream opened within the user's limit.
 */
export class LiveGate {
  constructor(
    private readonly verify: VerifyAuthorization,
    private readonly checks: LiveOperationChecks,
    private readonly hub: LiveHub,
    /** Whether this process follows the bus now: a stream that would miss events is refused as retryable. */
    private readonly following: () => boolean,
  ) {}

  /** The signed-in caller, or the refusal: 401 without a good token, 503 when identity cannot tell. */
  async authenticate(authorization: string | undefined): Promise<Authenticated | { error: GraphQLError }> {
    let auth: Authentication;
    try {
      auth = await this.verify(authorization);
    } catch {
      auth = { status: 'unavailable' };
    }
    return auth.status === 'authenticated' ? auth : { error: unauthenticated(auth, true) };
  }

  /** Checks the operation and opens its stream for `auth`, whose token is `authorization`. */
  start(auth: Authenticated, authorization: string, request: LiveRequest, clientAddress: string, onEnd: (reason: EndReason) => void): Admission {
    if (!this.following()) return { kind: 'refused', error: serviceUnavailable({ retryAfterSeconds: 5, wholeRequest: true }) };
    const prepared = prepareLiveOperation(request, auth, this.checks);
    if ('errors' in prepared) return { kind: 'errors', errors: prepared.errors.map(publicError) };
    try {
      const stream = this.hub.open({ viewer: auth.viewer, authorization, token: auth.token, clientAddress }, prepared, onEnd);
      return { kind: 'stream', stream };
    } catch (error) {
      if (error instanceof GraphQLError) return { kind: 'refused', error };
      throw error;
    }
  }

  /** Both steps, for a transport that carries the token with the operation (SSE). */
  async admit(authorization: string | undefined, request: LiveRequest, clientAddress: string, onEnd: (reason: EndReason) => void): Promise<Admission> {
    const auth = await this.authenticate(authorization);
    if ('error' in auth) return { kind: 'refused', error: auth.error };
    return this.start(auth, authorization ?? '', request, clientAddress, onEnd);
  }
}
