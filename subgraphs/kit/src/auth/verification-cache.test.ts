import type { VerifyAuthorization } from './token-verifier';
import type { Authentication } from './viewer';
import { cachedVerifier } from './verification-cache';

/** A token whose payload says when it expires; its signature is the fake verifier's business. */
const tokenExpiringAt = (seconds: number, name: string) =>
  `h.${Buffer.from(JSON.stringify({ exp: seconds, sub: name })).toString('base64url')}.s`;

function countingVerifier(valid: Set<string>) {
  const calls: string[] = [];
  const verify: VerifyAuthorization = async (header) => {
    calls.push(header ?? '');
    if (!header) return { status: 'anonymous' };
    const token = header.replace('Bearer ', '');
    if (!valid.has(token)) return { status: 'rejected', reason: 'invalid' };
    const viewer = { userId: token, organizationId: 'org', roles: [], sessionId: 's', passwordChangeRequired: false };
    return { status: 'authenticated', viewer, token } satisfies Authentication;
  };
  return { verify, calls };
}

describe('gateway: verified tokens are remembered for a short while', () => {
  let clock = 1_000_000;
  const now = () => clock;
  const a = tokenExpiringAt(2_000, 'a');
  const b = tokenExpiringAt(2_000, 'b');

  it('checks a signature once per maxAge, and again after it', async () => {
    const { verify, calls } = countingVerifier(new Set([a]));
    const cached = cachedVerifier(verify, { maxEntries: 10, maxAgeMs: 60_000 }, now);
    expect((await cached(`Bearer ${a}`)).status).toBe('authenticated');
    expect((await cached(`Bearer ${a}`)).status).toBe('authenticated');
    expect(calls).toHaveLength(1);
    clock += 60_001;
    await cached(`Bearer ${a}`);
    expect(calls).toHaveLength(2);
  });

  it('never trusts a token past its own expiry', async () => {
    clock = 1_000_000;
    const soon = tokenExpiringAt(1_005, 'soon');
    const { verify, calls } = countingVerifier(new Set([soon]));
    const cached = cachedVerifier(verify, { maxEntries: 10, maxAgeMs: 60_000 }, now);
    await cached(`Bearer ${soon}`);
    clock = 1_005_000;
    await cached(`Bearer ${soon}`);
    expect(calls).toHaveLength(2);
  });

  it('checks every time when turned off (maxAge 0)', async () => {
    const { verify, calls } = countingVerifier(new Set([a]));
    const uncached = cachedVerifier(verify, { maxAgeMs: 0 }, now);
    await uncached(`Bearer ${a}`);
    await uncached(`Bearer ${a}`);
    expect(calls).toHaveLength(2);
  });

  it('remembers neither refusals nor anonymous calls', async () => {
    const { verify, calls } = countingVerifier(new Set());
    const cached = cachedVerifier(verify, { maxEntries: 10, maxAgeMs: 60_000 }, now);
    expect((await cached(`Bearer ${a}`)).status).toBe('rejected');
    expect((await cached(`Bearer ${a}`)).status).toBe('rejected');
    expect((await cached(undefined)).status).toBe('anonymous');
    expect((await cached(undefined)).status).toBe('anonymous');
    expect(calls).toHaveLength(4);
  });

  it('forgets the least recently used token first', async () => {
    clock = 1_000_000;
    const { verify, calls } = countingVerifier(new Set([a, b]));
    const cached = cachedVerifier(verify, { maxEntries: 1, maxAgeMs: 60_000 }, now);
    await cached(`Bearer ${a}`);
    await cached(`Bearer ${b}`);
    await cached(`Bearer ${b}`);
    await cached(`Bearer ${a}`);
    expect(calls).toEqual([`Bearer ${a}`, `Bearer ${b}`, `Bearer ${a}`]);
  });
});
