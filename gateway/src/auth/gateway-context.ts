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
 * decides. A token that does not verify (expired, tampered, signed by another key) is refused
 * outright with UNAUTHENTICATED: it is never forwarded, nor silently treated as anonymous.
 */
export function gatewayContext(verify: VerifyAuthorization) {
  return async (request: FastifyRequest): Promise<GatewayContext> => {
    const authorization = request.headers.authorization;
    const auth = await verify(authorization);
    if (auth.status === 'rejected') throw unauthenticated(auth, 401);
    return { requestId: String(request.id), auth, ...(auth.status === 'authenticated' ? { authorization } : {}) };
  };
}
