import { unauthenticated, type Authentication, type VerifyAuthorization } from '@pgamr/kit/auth';
import type { FastifyRequest } from 'fastify';

/** What the gateway knows of a request, for its plugins and its subgraph calls. */
export interface GatewayContext {
  requestId: string;
  /** The caller's Authorization header, forwarded unchanged once verified. */
  authorization?: string;
  auth: Authentication;
}

/**
 * Verifies the access token at the edge on every request. No token: anonymous, and each field
 * decides. A token that is no longer good (expired, tampered, signed by another key, or its
 * session ended) is refused outright with UNAUTHENTICATED (HTTP 401): it is never forwarded, nor
 * silently treated as anonymous. When identity cannot tell, the request is refused as an outage
 * (SERVICE_UNAVAILABLE, HTTP 503, retryable).
 */
export function gatewayContext(verify: VerifyAuthorization) {
  return async (request: FastifyRequest): Promise<GatewayContext> => {
    const authorization = request.headers.authorization;
    const auth = await verify(authorization);
    if (auth.status === 'rejected' || auth.status === 'unavailable') throw unauthenticated(auth, true);
    return { requestId: String(request.id), auth, ...(auth.status === 'authenticated' ? { authorization } : {}) };
  };
}
