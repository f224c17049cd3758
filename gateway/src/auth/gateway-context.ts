import { unauthenticated, type Authentication, type VerifyAuthorization, type Viewer } from '@pgamr/kit/auth';
import type { FastifyRequest } from 'fastify';

/** What the gateway knows of a request, for its plugins and its subgraph calls. */
export interface GatewayContext {
  requestId: string;
  /** The caller's Authorization header, forwarded unchanged once verified. */
  authorization?: string;
  /** That the caller's session was found live for this request, for its subgraph calls (see session-assertion.ts in the kit). */
  sessionAssertion?: string;
  auth: Authentication;
}

/**
 * Verifies the access token at the edge on every request. No token: anonymous, and each field
 * decides. A token that is no longer good (expired, tampered, signed by another key, or its
 * session ended) is refused outright with UNAUTHENTICATED (HTTP 401): it is never forwarded, nor
 * silently treated as anonymous. When identity cannot tell, the request is refused as an outage
 * (SERVICE_UNAVAILABLE, HTTP 503, retryable). When `verify` asked identity about the session and
 * `assertSession` is given, the subgraph calls of this request carry the assertion that it did,
 * and do not ask again (R2, R6: the next request is asked anew).
 */
export function gatewayContext(verify: VerifyAuthorization, assertSession?: (viewer: Viewer, requestId: string) => string) {
  return async (request: FastifyRequest): Promise<GatewayContext> => {
    const authorization = request.headers.authorization;
    const auth = await verify(authorization);
    if (auth.status === 'rejected' || auth.status === 'unavailable') throw unauthenticated(auth, true);
    const requestId = String(request.id);
    if (auth.status !== 'authenticated') return { requestId, auth };
    return { requestId, auth, authorization, ...(assertSession ? { sessionAssertion: assertSession(auth.viewer, requestId) } : {}) };
  };
}
