import { serviceUnavailable } from '../errors';
import { unauthenticated } from './viewer';

/** Where the mandates subgraph answers whether a user holds a mandate in force from an organization. */
export const MANDATES_DECISION_PATH = '/authz/v1/mandates';

/** A question to the mandates subgraph: does `mandataireId` hold a mandate from `organizationId` on `serviceId`, now? */
export interface MandateQuestion {
  organizationId: string;
  serviceId: string;
  mandataireId: string;
}

/** The answer, when there is a mandate in force: the firm the mandataire holds it for. */
export interface MandateInForce {
  firmOrganizationId: string;
}

/** The mandates subgraph's answers, asked with the caller's own token. */
export interface MandateRegistry {
  /**
   * The mandate in force now, or null when there is none (or the caller may not ask about that
   * organization). Throws SERVICE_UNAVAILABLE when the mandates subgraph cannot answer.
   */
  findMandateInForce(question: MandateQuestion): Promise<MandateInForce | null>;
}

export type FetchMandateInForce = (question: MandateQuestion, authorization: string) => Promise<MandateInForce | null>;

/**
 * The client side of the mandates subgraph's decision point (R13, R15): services asks it whether
 * the person a répondant municipal names external auditor holds a mandate in force from the
 * organization. Read on every call, never cached, so a revoked mandate counts at once. A refusal
 * to answer (403, the caller may not ask about that organization) is "no mandate"; anything else
 * that is not an answer (down, time-out, 5xx, a token it does not accept) is SERVICE_UNAVAILABLE,
 * never "no mandate", which would turn an outage into a refusal.
 */
export function createMandatesClient(url: string, timeoutMs = 2_000): FetchMandateInForce {
  return async (question, authorization) => {
    const query = new URLSearchParams({ ...question });
    let response: Response;
    try {
      response = await fetch(`${url}?${query.toString()}`, { headers: { authorization }, signal: AbortSignal.timeout(timeoutMs) });
    } catch {
      throw serviceUnavailable();
    }
    if (response.status === 403) {
      await response.body?.cancel();
      return null;
    }
    if (!response.ok) {
      await response.body?.cancel();
      // A 401: the caller's session ended between its request's check and this call.
      throw response.status === 401 ? unauthenticated({ status: 'rejected', reason: 'ended' }) : serviceUnavailable();
    }
    const body = (await response.json().catch(() => null)) as { inForce?: unknown; firmOrganizationId?: unknown } | null;
    if (body?.inForce === false) return null;
    if (body?.inForce !== true || typeof body.firmOrganizationId !== 'string') throw serviceUnavailable();
    return { firmOrganizationId: body.firmOrganizationId };
  };
}

/** The registry as one request's resolvers see it: every call carries that request's token. */
export const mandateRegistryFor = (fetchMandate: FetchMandateInForce, authorization: string): MandateRegistry => ({
  findMandateInForce: (question) => fetchMandate(question, authorization),
});
