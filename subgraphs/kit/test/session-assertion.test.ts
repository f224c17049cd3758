import { generateSessionAssertionSecret, SESSION_ASSERTION_HEADER, SESSION_ASSERTION_WINDOW_MS, sessionAssertions, type AssertedSession } from '../src';
import { startTestSubgraph, startTestTokenIssuer, type TestSubgraph, type TestTokenIssuer } from '../src/testing';
import { fixtureSubgraph } from './fixture-subgraph';

const SECRET = Buffer.from(generateSessionAssertionSecret(), 'base64url');
const USER = '6f1c2a4e-0000-4000-8000-0000000000aa';
const SIGNED_OUT = '6f1c2a4e-0000-4000-8000-000000000001';
const OTHER_SESSION = '6f1c2a4e-0000-4000-8000-000000000002';
const REQUEST_ID = 'req-assertion-0001';

let issuer: TestTokenIssuer;
let subgraph: TestSubgraph;
let token: string;

beforeAll(async () => {
  issuer = await startTestTokenIssuer();
  subgraph = await startTestSubgraph(fixtureSubgraph, { seedDemoData: false, jwksUrl: issuer.jwksUrl, sessionAssertionSecret: SECRET });
  token = await issuer.mint({ userId: USER, organizationId: 'org', sessionId: SIGNED_OUT });
  // Identity's stand-in now answers that this session ended (a sign-out after the token was issued).
  issuer.endSession(SIGNED_OUT);
});

afterAll(async () => {
  await subgraph?.close();
  await issuer?.close();
});

/** A request straight to the subgraph with the token, the request id and the assertion given. */
async function post(assertion: string | undefined, requestId = REQUEST_ID): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': requestId };
  if (assertion !== undefined) headers[SESSION_ASSERTION_HEADER] = assertion;
  const response = await fetch(subgraph.url, { method: 'POST', headers, body: JSON.stringify({ query: '{ __typename }' }) });
  await response.body?.cancel();
  return response.status;
}

const session = (overrides: Partial<AssertedSession> = {}): AssertedSession => ({ sessionId: SIGNED_OUT, userId: USER, requestId: REQUEST_ID, ...overrides });

describe("R2, R6: a subgraph takes the gateway's word that a request's session is live only when it is bound to that session and request", () => {
  it('without an assertion, it asks identity, and the signed-out session is refused', async () => {
    expect(await post(undefined)).toBe(401);
  });

  it('a forged assertion (another secret) changes nothing: identity is asked, the session refused', async () => {
    const forged = sessionAssertions(Buffer.from(generateSessionAssertionSecret(), 'base64url')).sign(session());
    expect(await post(forged)).toBe(401);
  });

  it('an expired assertion changes nothing', async () => {
    const expired = sessionAssertions(SECRET, () => Date.now() - SESSION_ASSERTION_WINDOW_MS - 1_000).sign(session());
    expect(await post(expired)).toBe(401);
  });

  it("another session's or another user's assertion changes nothing, even signed with the secret", async () => {
    const genuine = sessionAssertions(SECRET);
    expect(await post(genuine.sign(session({ sessionId: OTHER_SESSION })))).toBe(401);
    expect(await post(genuine.sign(session({ userId: '6f1c2a4e-0000-4000-8000-0000000000bb' })))).toBe(401);
  });

  it("another request's assertion changes nothing", async () => {
    expect(await post(sessionAssertions(SECRET).sign(session()), 'req-assertion-0002')).toBe(401);
  });

  it("a valid assertion stands for identity's answer for that one request: the subgraph does not ask again", async () => {
    // Identity would say "ended": the request is served, so it was not asked. The gateway asked
    // at the start of this request; its next request is asked anew and refused.
    expect(await post(sessionAssertions(SECRET).sign(session()))).toBe(200);
  });
});
