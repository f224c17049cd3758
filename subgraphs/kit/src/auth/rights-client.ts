import type { Logger } from 'pino';
import type { ServiceRole } from '../catalog/vocabulary';
import { serviceUnavailable } from '../errors';
import { SESSION_ASSERTION_HEADER } from './session-assertion';
import { unauthenticated } from './viewer';

/** Where the services subgraph answers the decision point. */
export const RIGHTS_PATH = '/authz/v1/rights';

/** One role a user holds now on a service for an organization, as the services subgraph answers it. */
export interface ServiceRight {
  serviceId: string;
  organizationId: string;
  role: string;
  validUntil: string | null;
}

/** What the decision point answers about the caller. */
export interface RightsAnswer {
  rights?: ServiceRight[];
  /** For ministry staff: the services their direction owns, whose files they review (R7, R17). */
  administeredServiceIds?: string[];
}

// The answer's role is whatever services sent; the roles asked about are the vocabulary's.
const holdsOneOf = (right: ServiceRight, roles: readonly ServiceRole[]): boolean => roles.some((role) => role === right.role);

/** The caller's rights in force, fetched once for the request. */
export class RightSet {
  static readonly EMPTY = new RightSet([]);

  constructor(
    readonly rights: readonly ServiceRight[],
    readonly administeredServiceIds: readonly string[] = [],
  ) {}

  /** Is the caller staff of the direction that owns this service? */
  administers(serviceId: string): boolean {
    return this.administeredServiceIds.includes(serviceId);
  }

  /** Does the caller hold one of `roles` on this service for this organization? */
  has(serviceId: string, organizationId: string, roles: readonly ServiceRole[]): boolean {
    return this.rights.some((r) => r.serviceId === serviceId && r.organizationId === organizationId && holdsOneOf(r, roles));
  }

  /** The services on which the caller holds one of `roles` for this organization. */
  servicesFor(organizationId: string, roles: readonly ServiceRole[]): Set<string> {
    return new Set(this.rights.filter((r) => r.organizationId === organizationId && holdsOneOf(r, roles)).map((r) => r.serviceId));
  }
}

/** Which request the rights are asked for, and the assertion that its session was just found live (see session-assertion.ts). */
export interface RightsRequest {
  requestId: string;
  sessionAssertion?: string;
}

export type FetchRights = (authorization: string, request?: RightsRequest) => Promise<RightSet>;

/**
 * The client side of the authorization decision point: asks the services subgraph which rights
 * the caller holds *now* (deputy periods on the clock, revocations included), with the caller's
 * own token, so the answer can only ever be about the caller. Rights are never taken from token
 * claims, which would go stale. Fails closed, honestly: no answer in time (or any answer but a
 * 200) denies every field that needed the rights with SERVICE_UNAVAILABLE, retryable, never
 * with "no rights" (which would read FORBIDDEN or NOT_FOUND); a 401 means the caller's session
 * ended meanwhile. With the request's id and session assertion, the decision point need not ask
 * identity about the session again; the rights themselves are read anew on every call (R15).
 */
export function createRightsClient(url: string, logger: Logger, timeoutMs = 2_000): FetchRights {
  return async (authorization, request) => {
    const headers: Record<string, string> = { authorization };
    if (request) headers['x-request-id'] = request.requestId;
    if (request?.sessionAssertion) headers[SESSION_ASSERTION_HEADER] = request.sessionAssertion;
    let response: Response;
    try {
      response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      logger.warn({ err: error }, 'rights decision point unreachable: refusing as retryable');
      throw serviceUnavailable();
    }
    if (response.status === 401) {
      await response.body?.cancel();
      throw unauthenticated({ status: 'rejected', reason: 'ended' });
    }
    if (!response.ok) {
      await response.body?.cancel();
      logger.warn({ status: response.status }, 'rights decision point failed: refusing as retryable');
      throw serviceUnavailable();
    }
    try {
      const body = (await response.json()) as RightsAnswer;
      return new RightSet(
        Array.isArray(body.rights) ? body.rights : [],
        Array.isArray(body.administeredServiceIds) ? body.administeredServiceIds : [],
      );
    } catch (error) {
      logger.warn({ err: error }, 'rights decision point answered an unreadable body: refusing as retryable');
      throw serviceUnavailable();
    }
  };
}
