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
 * and of which firm. Unlike the rights client it does not fail closed to an answer: an
 * unreachable directory is an error, never "no such user".
 */
export function createDirectoryClient(url: string, timeoutMs = 2_000): FetchFirmUser {
  return async (code, authorization) => {
    const response = await fetch(`${url}/${encodeURIComponent(code)}`, {
      headers: { authorization },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`identity directory answered ${response.status}`);
    }
    const body = (await response.json()) as Partial<FirmUser>;
    if (typeof body.userId !== 'string' || typeof body.organizationId !== 'string' || typeof body.displayName !== 'string') {
      throw new Error('identity directory answered an unexpected body');
    }
    return { userId: body.userId, organizationId: body.organizationId, displayName: body.displayName };
  };
}
