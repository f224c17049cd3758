import { createLogger } from '../logger';
import {
  generateSessionAssertionSecret,
  hopVerifier,
  readSessionAssertionSecret,
  SESSION_ASSERTION_WINDOW_MS,
  sessionAssertions,
  type AssertedSession,
} from './session-assertion';
import type { VerifyAuthorization } from './token-verifier';
import type { Viewer } from './viewer';

const secretOf = (text: string) => Buffer.from(text, 'base64url');
const SECRET = secretOf(generateSessionAssertionSecret());
const SESSION: AssertedSession = {
  sessionId: '6f1c2a4e-0000-4000-8000-000000000001',
  userId: '6f1c2a4e-0000-4000-8000-0000000000aa',
  requestId: 'req-0000000001',
};

describe('session assertions: a hop tells the next one it found the session live for this request', () => {
  let clock = 1_800_000_000_000;
  const now = () => clock;
  const assertions = sessionAssertions(SECRET, now);

  it('accepts its own assertion for the same session, user and request', () => {
    expect(assertions.accepts(assertions.sign(SESSION), SESSION)).toBe(true);
  });

  it("is bound to the token's session, its user and the request: any other is refused", () => {
    const assertion = assertions.sign(SESSION);
    expect(assertions.accepts(assertion, { ...SESSION, sessionId: '6f1c2a4e-0000-4000-8000-000000000002' })).toBe(false);
    expect(assertions.accepts(assertion, { ...SESSION, userId: '6f1c2a4e-0000-4000-8000-0000000000bb' })).toBe(false);
    expect(assertions.accepts(assertion, { ...SESSION, requestId: 'req-0000000002' })).toBe(false);
  });

  it('stands only for the window after the check, and not for a check dated in the future', () => {
    const assertion = assertions.sign(SESSION);
    clock += SESSION_ASSERTION_WINDOW_MS;
    expect(assertions.accepts(assertion, SESSION)).toBe(true);
    clock += 1;
    expect(assertions.accepts(assertion, SESSION)).toBe(false);
    const fromTheFuture = sessionAssertions(SECRET, () => clock + 60_000).sign(SESSION);
    expect(assertions.accepts(fromTheFuture, SESSION)).toBe(false);
  });

  it('refuses a forgery: another secret, an edited date, a malformed or missing assertion', () => {
    const forged = sessionAssertions(secretOf(generateSessionAssertionSecret()), now).sign(SESSION);
    expect(assertions.accepts(forged, SESSION)).toBe(false);
    const [version, issuedAt, mac] = assertions.sign(SESSION).split('.');
    expect(assertions.accepts(`${version}.${Number(issuedAt) + 1}.${mac}`, SESSION)).toBe(false);
    for (const malformed of [undefined, '', 'v1', `v2.${issuedAt}.${mac}`, `v1.${issuedAt}.${mac}x`, `v1.-1.${mac}`]) {
      expect(assertions.accepts(malformed, SESSION)).toBe(false);
    }
  });
});

describe('SESSION_ASSERTION_SECRET', () => {
  it('unset or empty: no secret, no problem', () => {
    const issues: string[] = [];
    expect(readSessionAssertionSecret({}, issues)).toBeUndefined();
    expect(readSessionAssertionSecret({ SESSION_ASSERTION_SECRET: '' }, issues)).toBeUndefined();
    expect(issues).toEqual([]);
  });

  it('fails fast on a secret shorter than 32 bytes or not in base64url', () => {
    for (const value of ['trop-court', Buffer.alloc(31, 7).toString('base64url'), `${'a'.repeat(50)}+/=`]) {
      const issues: string[] = [];
      expect(readSessionAssertionSecret({ SESSION_ASSERTION_SECRET: value }, issues)).toBeUndefined();
      expect(issues).toEqual([expect.stringMatching(/^SESSION_ASSERTION_SECRET: au moins 32 octets aléatoires en base64url/)]);
    }
  });

  it('reads a generated secret', () => {
    const issues: string[] = [];
    expect(readSessionAssertionSecret({ SESSION_ASSERTION_SECRET: generateSessionAssertionSecret() }, issues)).toHaveLength(32);
    expect(issues).toEqual([]);
  });
});

describe("a hop's verification: identity is asked unless a valid assertion stands for this request", () => {
  const viewer: Viewer = { userId: SESSION.userId, organizationId: 'org', roles: [], sessionId: SESSION.sessionId, passwordChangeRequired: false };
  const verifyToken: VerifyAuthorization = async (header) =>
    header === 'Bearer good' ? { status: 'authenticated', viewer, token: 'good' } : header ? { status: 'rejected', reason: 'invalid' } : { status: 'anonymous' };
  const logger = createLogger('test', 'silent');
  const assertions = sessionAssertions(SECRET);

  /** Identity's answer, counted: the session has ended (a sign-out meanwhile). */
  function endedSession() {
    let calls = 0;
    const isLive = async () => {
      calls += 1;
      return false;
    };
    return { isLive, calls: () => calls };
  }

  it('a valid assertion spares the call, and is passed on as it came', async () => {
    const identity = endedSession();
    const verify = hopVerifier(verifyToken, identity.isLive, logger, assertions);
    const assertion = assertions.sign(SESSION);
    const verdict = await verify({ authorization: 'Bearer good', sessionAssertion: assertion, requestId: SESSION.requestId });
    expect(verdict).toEqual({ auth: { status: 'authenticated', viewer, token: 'good' }, sessionAssertion: assertion });
    expect(identity.calls()).toBe(0);
  });

  it('a forged, expired, other-session or other-request assertion is ignored: identity is asked, and an ended session is refused', async () => {
    const identity = endedSession();
    const verify = hopVerifier(verifyToken, identity.isLive, logger, assertions);
    const unusable = [
      sessionAssertions(secretOf(generateSessionAssertionSecret())).sign(SESSION),
      sessionAssertions(SECRET, () => Date.now() - SESSION_ASSERTION_WINDOW_MS - 1_000).sign(SESSION),
      assertions.sign({ ...SESSION, sessionId: '6f1c2a4e-0000-4000-8000-000000000002' }),
      assertions.sign({ ...SESSION, requestId: 'req-0000000002' }),
      undefined,
    ];
    for (const sessionAssertion of unusable) {
      const verdict = await verify({ authorization: 'Bearer good', sessionAssertion, requestId: SESSION.requestId });
      expect(verdict).toEqual({ auth: { status: 'rejected', reason: 'ended' } });
    }
    expect(identity.calls()).toBe(unusable.length);
  });

  it('no assertion makes a bad token good', async () => {
    const verify = hopVerifier(verifyToken, async () => true, logger, assertions);
    const verdict = await verify({ authorization: 'Bearer forged', sessionAssertion: assertions.sign(SESSION), requestId: SESSION.requestId });
    expect(verdict).toEqual({ auth: { status: 'rejected', reason: 'invalid' } });
  });

  it('having asked identity itself, a hop asserts it for the calls of the same request', async () => {
    let calls = 0;
    const isLive = async () => {
      calls += 1;
      return true;
    };
    const verify = hopVerifier(verifyToken, isLive, logger, assertions);
    const verdict = await verify({ authorization: 'Bearer good', sessionAssertion: undefined, requestId: SESSION.requestId });
    expect(calls).toBe(1);
    expect(assertions.accepts(verdict.sessionAssertion, SESSION)).toBe(true);
  });

  it('without a secret, every request is asked about and nothing is asserted', async () => {
    const identity = endedSession();
    const verify = hopVerifier(verifyToken, identity.isLive, logger, undefined);
    const verdict = await verify({ authorization: 'Bearer good', sessionAssertion: assertions.sign(SESSION), requestId: SESSION.requestId });
    expect(verdict).toEqual({ auth: { status: 'rejected', reason: 'ended' } });
    expect(identity.calls()).toBe(1);
  });

  it('when identity cannot tell, the request is an outage, never a bad token', async () => {
    const verify = hopVerifier(verifyToken, async () => Promise.reject(new Error('down')), logger, assertions);
    const verdict = await verify({ authorization: 'Bearer good', sessionAssertion: undefined, requestId: SESSION.requestId });
    expect(verdict).toEqual({ auth: { status: 'unavailable' } });
  });
});
