import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { checkSession, type SessionKey } from './session-status';
import type { VerifyAuthorization } from './token-verifier';
import type { Authentication, Viewer } from './viewer';

/**
 * The header by which a hop that has just asked identity about a request's session (the gateway,
 * or a subgraph calling services' decision point) tells the next hop of the same request.
 */
export const SESSION_ASSERTION_HEADER = 'x-pgamr-session-checked';

/** The variable that holds the secret shared by the gateway and the subgraphs. */
export const SESSION_ASSERTION_SECRET_VARIABLE = 'SESSION_ASSERTION_SECRET';

/**
 * How long after the check an assertion stands in for it: one gateway request's lifetime (its
 * subgraph calls time out well within it). A sign-out committed meanwhile is refused by the next
 * request, whose gateway asks identity anew (R2, R6, R15); only the request already under way,
 * whose session was live when it arrived, finishes.
 */
export const SESSION_ASSERTION_WINDOW_MS = 30_000;

/** How far in the future an issued-at may be: clocks of two machines drift a little. */
const CLOCK_SKEW_MS = 5_000;

/** The least secret: 256 bits, the size of HMAC-SHA256's output. */
const SECRET_MIN_BYTES = 32;

const VERSION = 'v1';
const ASSERTION_PATTERN = /^v1\.([0-9]{1,15})\.([A-Za-z0-9_-]{43})$/;

/**
 * Reads `SESSION_ASSERTION_SECRET`: unset or empty, no assertion is signed nor accepted and every
 * hop asks identity itself; set, at least 32 random bytes in base64url (what `npm start` and the
 * test stacks generate). Anything else is a configuration error, so a typo fails at start
 * instead of silently making every hop ask again.
 */
export function readSessionAssertionSecret(env: NodeJS.ProcessEnv, issues: string[]): Buffer | undefined {
  const value = env[SESSION_ASSERTION_SECRET_VARIABLE]?.trim();
  if (!value) return undefined;
  const secret = /^[A-Za-z0-9_-]+$/.test(value) ? Buffer.from(value, 'base64url') : undefined;
  if (!secret || secret.length < SECRET_MIN_BYTES) {
    issues.push(
      `${SESSION_ASSERTION_SECRET_VARIABLE}: au moins ${SECRET_MIN_BYTES} octets aléatoires en base64url attendus (par exemple : node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))")`,
    );
    return undefined;
  }
  return secret;
}

/** A fresh secret, as `npm start` and the test stacks give their processes. */
export const generateSessionAssertionSecret = (): string => randomBytes(SECRET_MIN_BYTES).toString('base64url');

/** What an assertion is bound to: the token's session, the user it was opened for, and the request. */
export interface AssertedSession extends SessionKey {
  requestId: string;
}

/** Signs and checks assertions with one secret. */
export interface SessionAssertions {
  /** "This session was live for this request, checked now." */
  sign(session: AssertedSession): string;
  /**
   * Whether `assertion` was signed with the secret for exactly this session, user and request,
   * within the window. Anything else (absent, malformed, forged, expired, another session's or
   * another request's) is false: the hop then asks identity itself.
   */
  accepts(assertion: string | undefined, session: AssertedSession): boolean;
}

/**
 * HMAC-SHA256 assertions. The clock is the wall clock, not a test's domain clock: the window is
 * about transport between two processes, and every process of a stack reads the same one.
 */
export function sessionAssertions(secret: Buffer, now: () => number = Date.now, windowMs = SESSION_ASSERTION_WINDOW_MS): SessionAssertions {
  // JSON keeps the fields apart whatever they contain, so no two bindings sign the same text.
  const mac = (issuedAt: number, session: AssertedSession) =>
    createHmac('sha256', secret).update(JSON.stringify([VERSION, issuedAt, session.sessionId, session.userId, session.requestId])).digest();
  return {
    sign(session) {
      const issuedAt = now();
      return `${VERSION}.${issuedAt}.${mac(issuedAt, session).toString('base64url')}`;
    },
    accepts(assertion, session) {
      const parts = assertion ? ASSERTION_PATTERN.exec(assertion) : null;
      if (!parts?.[1] || !parts[2]) return false;
      const issuedAt = Number(parts[1]);
      const age = now() - issuedAt;
      if (age > windowMs || age < -CLOCK_SKEW_MS) return false;
      return timingSafeEqual(Buffer.from(parts[2], 'base64url'), mac(issuedAt, session));
    },
  };
}

/** What a request reaching a hop carries about its caller. */
export interface HopRequest {
  authorization: string | undefined;
  /** The previous hop's SESSION_ASSERTION_HEADER, if any. */
  sessionAssertion: string | undefined;
  /** The request's id (`x-request-id`), the same at every hop of one gateway request. */
  requestId: string;
}

/** A hop's verdict on a request, and what it may tell the hops it calls for that request. */
export interface HopAuthentication {
  auth: Authentication;
  /** Set only when this request's session is known live: for this request's calls to services' decision point. */
  sessionAssertion?: string;
}

export type VerifyHop = (request: HopRequest) => Promise<HopAuthentication>;

/**
 * A hop's verification (R2, R6): the token's signature, issuer, audience and dates always; then
 * whether its session is live, which identity is asked unless the previous hop asserts, with the
 * shared secret, that it asked for this very session, user and request a moment ago. An
 * assertion that does not verify is ignored, never refused: the hop asks identity as it would
 * without one, so a forged, stale or borrowed assertion gains nothing. Without a secret, every
 * request is asked about. A hop that found the session live passes an assertion on for the
 * request's own calls: the gateway's as it came (its window runs from the gateway's check), or
 * one of its own when it asked identity itself.
 */
export function hopVerifier(
  verifyToken: VerifyAuthorization,
  isLive: (viewer: Viewer) => Promise<boolean>,
  logger: Logger,
  assertions: SessionAssertions | undefined,
): VerifyHop {
  return async ({ authorization, sessionAssertion, requestId }) => {
    const verified = await verifyToken(authorization);
    if (verified.status !== 'authenticated' || !assertions) return { auth: await checkSession(verified, isLive, logger) };
    const session = { sessionId: verified.viewer.sessionId, userId: verified.viewer.userId, requestId };
    if (sessionAssertion !== undefined && assertions.accepts(sessionAssertion, session)) return { auth: verified, sessionAssertion };
    const auth = await checkSession(verified, isLive, logger);
    return auth.status === 'authenticated' ? { auth, sessionAssertion: assertions.sign(session) } : { auth };
  };
}
