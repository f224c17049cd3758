import type { Logger } from 'pino';
import { serviceUnavailable } from '../errors';
import { unauthenticated } from './viewer';

/** Where the identity subgraph answers who a firm's user is, by clicSÉQUR code. */
export const FIRM_USERS_PATH = '/directory/v1/firm-users';

/** An active user of a firm (firme-conseil, firme de vérificateur, consultant, collaborateur). */
export interface FirmUser {
  userId: string;
  organizationId: string;
  /** Given and family name, for the mandating organization, which may not read the user itself (R20). */
  displayName: string;
}

/** The caller's view of identity's directory, asked with the caller's own token. */
export interface Directory {
  /** The active firm user with this clicSÉQUR code, or null when there is none (any other user included). */
  findFirmUser(code: string): Promise<FirmUser | null>;
}

export type FetchFirmUser = (code: string, authorization: string) => Promise<FirmUser | null>;

/**
 * The client side of identity's directory: other subgraphs name outside people (a mandataire,
 * R15) by the clicSÉQUR code they were given, and learn only whether it is an active firm user
 * and of which firm. An unreachable or failing directory is an outage (SERVICE_UNAVAILABLE,
 * retryable), never "no such user"; a 401 means the caller's session ended meanwhile.
 */
export function createDirectoryClient(url: string, logger: Logger, timeoutMs = 2_000): FetchFirmUser {
  return async (code, authorization) => {
    let response: Response;
    try {
      response = await fetch(`${url}/${encodeURIComponent(code)}`, { headers: { authorization }, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      logger.warn({ err: error }, 'identity directory unreachable: refusing as retryable');
      throw serviceUnavailable();
    }
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    if (response.status === 401) {
      await response.body?.cancel();
      throw unauthenticated({ status: 'rejected', reason: 'ended' });
    }
    const body = response.ok ? ((await response.json().catch(() => undefined)) as Partial<FirmUser> | undefined) : undefined;
    if (!response.ok) await response.body?.cancel();
    if (typeof body?.userId !== 'string' || typeof body.organizationId !== 'string' || typeof body.displayName !== 'string') {
      logger.warn({ status: response.status }, 'identity directory failed: refusing as retryable');
      throw serviceUnavailable();
    }
    return { userId: body.userId, organizationId: body.organizationId, displayName: body.displayName };
  };
}
