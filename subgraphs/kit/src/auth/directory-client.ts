import type { GraphQLError } from 'graphql';
import { domainError, ErrorCode, forbidden, serviceUnavailable } from '../errors';

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

// Identity could not even read the code (a malformed request, a URL or header too long for its
// HTTP parser): whatever it is, it is no active firm user's.
const UNREADABLE_CODE = new Set([400, 414, 431]);

/**
 * The client side of identity's directory: other subgraphs name outside people (a mandataire,
 * R15) by the clicSÉQUR code they were given, and learn only whether it is an active firm user
 * and of which firm. Unlike the rights client it does not fail closed to an answer: a directory
 * that cannot answer (down, too slow, 5xx, 429) is SERVICE_UNAVAILABLE, never "no such user";
 * a caller it refuses is UNAUTHENTICATED or FORBIDDEN, as identity said; and a code it could not
 * read is no firm user's (the caller's input, checked by the schema's limits before it gets here).
 */
export function createDirectoryClient(url: string, timeoutMs = 2_000): FetchFirmUser {
  return async (code, authorization) => {
    let response: Response;
    try {
      response = await fetch(`${url}/${encodeURIComponent(code)}`, {
        headers: { authorization },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      throw serviceUnavailable();
    }
    if (response.status === 404 || UNREADABLE_CODE.has(response.status)) {
      await response.body?.cancel();
      return null;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw refusalFor(response);
    }
    const body = (await response.json()) as Partial<FirmUser>;
    if (typeof body.userId !== 'string' || typeof body.organizationId !== 'string' || typeof body.displayName !== 'string') {
      throw new Error('identity directory answered an unexpected body');
    }
    return { userId: body.userId, organizationId: body.organizationId, displayName: body.displayName };
  };
}

function refusalFor(response: Response): GraphQLError {
  if (response.status === 401) return domainError(ErrorCode.Unauthenticated, 'Votre session est terminée. Veuillez vous authentifier de nouveau.');
  if (response.status === 403) return forbidden();
  const retryAfter = Number(response.headers.get('retry-after'));
  return serviceUnavailable(Number.isInteger(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {});
}
