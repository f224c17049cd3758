import DataLoader from 'dataloader';
import type { Logger } from 'pino';
import { Agent } from 'undici';
import type { VerifyAuthorization } from './token-verifier';
import type { Authentication, Viewer } from './viewer';

/** Where identity answers which sessions are still live. */
export const SESSION_STATUS_PATH = '/sessions/v1/status';

/** The most sessions one status call asks about. */
export const MAX_SESSIONS_PER_STATUS_CALL = 100;

/** An access token's session, as every hop asks about it: its id and the user it was opened for. */
export interface SessionKey {
  sessionId: string;
  userId: string;
}

/** What identity answers: of the sessions asked about, the ids of those live now. */
export interface SessionStatusAnswer {
  live: string[];
}

/**
 * Of these sessions, the ids of those that are live now: open (not signed out, not revoked by a
 * suspension, a password reset or a refresh-token reuse), not past their end, opened for that
 * user, and the user still active. Throws when it cannot tell.
 */
export type FindLiveSessions = (sessions: readonly SessionKey[]) => Promise<ReadonlySet<string>>;

/** Identity's session state could not be read: nothing is known of the session. */
export class SessionStateUnavailable extends Error {}

/**
 * Whether the viewer's session is live, asked anew for every request: a session ended on any
 * replica is refused on the next request everywhere, with nothing cached between requests. The
 * questions of concurrent requests go out together (one call per tick of the event loop, at most
 * MAX_SESSIONS_PER_STATUS_CALL sessions each), and every question is asked by a call that starts
 * after the request arrived, so a sign-out answered before it is always seen.
 */
export function sessionChecker(findLive: FindLiveSessions): (viewer: Viewer) => Promise<boolean> {
  const loader = new DataLoader<SessionKey, boolean, string>(
    async (keys) => {
      const live = await findLive(keys);
      return keys.map((key) => live.has(key.sessionId));
    },
    { cache: false, maxBatchSize: MAX_SESSIONS_PER_STATUS_CALL },
  );
  return (viewer) => loader.load({ sessionId: viewer.sessionId, userId: viewer.userId });
}

/**
 * Identity's session state over HTTP (`POST /sessions/v1/status`), through a keep-alive pool of
 * its own. A network error, a time-out or any answer but a well-formed 200 is an outage.
 */
export function remoteSessionStatus(url: string, timeoutMs = 2_000): FindLiveSessions & { close(): Promise<void> } {
  const target = new URL(url);
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: 16 });
  const findLive: FindLiveSessions = async (sessions) => {
    try {
      const response = await agent.request({
        origin: target.origin,
        path: target.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sessions }),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      if (response.statusCode !== 200) {
        await response.body.dump();
        throw new Error(`identity's session state answered ${response.statusCode}`);
      }
      const body = (await response.body.json()) as Partial<SessionStatusAnswer>;
      if (!Array.isArray(body.live)) throw new Error("identity's session state answered an unexpected body");
      return new Set(body.live.filter((id): id is string => typeof id === 'string'));
    } catch (error) {
      throw new SessionStateUnavailable("identity's session state unavailable", { cause: error });
    }
  };
  /** Closes the pool's keep-alive connections, so that a stopping process does not wait on them. */
  return Object.assign(findLive, { close: () => agent.close() });
}

/**
 * A verifier that also checks, on every request, that a verified token's session is still live:
 * a token whose session ended is `rejected` (`ended`), like a bad signature; when identity cannot
 * tell, `unavailable`, never a bad token.
 */
export function withSessionCheck(verify: VerifyAuthorization, isLive: (viewer: Viewer) => Promise<boolean>, logger: Logger): VerifyAuthorization {
  return async (authorizationHeader) => checkSession(await verify(authorizationHeader), isLive, logger);
}

/** A verified token's authentication, or what it becomes once identity says its session ended or cannot say. */
export async function checkSession(auth: Authentication, isLive: (viewer: Viewer) => Promise<boolean>, logger: Logger): Promise<Authentication> {
  if (auth.status !== 'authenticated') return auth;
  try {
    return (await isLive(auth.viewer)) ? auth : { status: 'rejected', reason: 'ended' };
  } catch (error) {
    logger.warn({ err: error }, "session state unavailable: the request is refused as retryable");
    return { status: 'unavailable' };
  }
}
