import { SignJWT } from 'jose';
import type { Authentication, Viewer } from '@pgamr/kit/auth';
import { createLogger } from '@pgamr/kit/logger';
import { LiveHub, mayInclude, type LiveEvent, type LiveSubscriber } from './streams';
import type { LiveOperation } from './operation';

const operation: LiveOperation = { field: 'notifications', query: '', operationName: 'LiveNotification', variables: {}, idVariable: 'notificationId' };
const viewer = (userId: string, more: Partial<Viewer> = {}): Viewer => ({
  userId,
  organizationId: 'org-a',
  roles: [],
  sessionId: `session-${userId}`,
  passwordChangeRequired: false,
  ...more,
});

async function subscriber(who: Viewer): Promise<LiveSubscriber> {
  const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(new Uint8Array(32));
  return { viewer: who, authorization: `Bearer ${who.userId}`, token, clientAddress: '127.0.0.1' };
}

/** A hub whose notifications each subscriber may read when `readable` says so; the session is live unless `ended`. */
function hub(options: { readable?: (userId: string, id: string) => boolean; ended?: Set<string>; queueLimit?: number; errorsOf?: (id: string) => LiveEvent['errors'] } = {}) {
  const queried: string[] = [];
  const live = new LiveHub({
    config: { maxStreamsPerUser: 2, idleTimeoutMs: 3_600_000, queueLimit: options.queueLimit ?? 10 },
    verify: async (header): Promise<Authentication> => {
      const userId = header!.slice('Bearer '.length);
      return options.ended?.has(userId) ? { status: 'rejected', reason: 'ended' } : { status: 'authenticated', viewer: viewer(userId), token: 't' };
    },
    runQuery: async (_operation, id, context): Promise<LiveEvent> => {
      const userId = context.auth.status === 'authenticated' ? context.auth.viewer.userId : '';
      queried.push(`${userId}:${id}`);
      const errors = options.errorsOf?.(id);
      return { data: { notifications: (options.readable ?? (() => true))(userId, id) ? { id } : null }, ...(errors ? { errors } : {}) };
    },
    logger: createLogger('test', 'silent'),
  });
  return { live, queried };
}

const users = (...userIds: string[]) => [{ kind: 'USERS' as const, userIds }];
const delivered = (notificationId: string, audiences: Parameters<typeof mayInclude>[0][]) => ({
  notificationId,
  eventId: notificationId,
  type: 'ACCESS_REQUEST_FILED' as const,
  organizationId: 'org-a',
  serviceId: null,
  audiences,
});

describe('the live hub of one gateway process', () => {
  it('R20: a notification reaches the streams its audiences can include, and only those its query answers', async () => {
    const { live, queried } = hub({ readable: (userId) => userId !== 'bob' });
    const alice = live.open(await subscriber(viewer('alice')), operation);
    const bob = live.open(await subscriber(viewer('bob')), operation);
    const carol = live.open(await subscriber(viewer('carol', { organizationId: 'org-b' })), operation);
    live.deliver(delivered('n1', [{ kind: 'SERVICE_USERS', organizationId: 'org-a', serviceId: 's' }]));
    live.deliver(delivered('n2', users('alice')));
    expect(await alice.next()).toEqual({ done: false, value: { data: { notifications: { id: 'n1' } } } });
    expect(await alice.next()).toEqual({ done: false, value: { data: { notifications: { id: 'n2' } } } });
    bob.end('client');
    carol.end('client');
    // Carol (another organization) is never asked; Bob is asked and answered null: nothing sent.
    expect(queried.filter((entry) => entry.startsWith('carol'))).toEqual([]);
    alice.end('client');
  });

  it('pre-selects by the token: the firm RSÉ, ministry staff for the owner direction', () => {
    const rse = viewer('r', { roles: ['RSE'], organizationId: 'firm' });
    const staff = viewer('s', { roles: ['MINISTRY_STAFF'], direction: 'DGI' });
    expect(mayInclude({ kind: 'FIRM_RSE', firmOrganizationId: 'firm' }, rse)).toBe(true);
    expect(mayInclude({ kind: 'FIRM_RSE', firmOrganizationId: 'firm' }, viewer('x', { organizationId: 'firm' }))).toBe(false);
    expect(mayInclude({ kind: 'OWNER_STAFF', serviceId: 's' }, staff)).toBe(true);
    expect(mayInclude({ kind: 'OWNER_STAFF', serviceId: 's' }, rse)).toBe(false);
    expect(mayInclude({ kind: 'SERVICE_ROLES', organizationId: 'org-z', serviceId: 's', roles: [] }, staff)).toBe(true);
  });

  it('R13, R18: a notice to the roles of every body but some reaches every subscriber, for the notifications subgraph to judge', () => {
    const everyBodyBut = { kind: 'SERVICE_ROLES_EXCEPT' as const, serviceId: 's', roles: ['MUNICIPAL_RESPONDENT'], exceptOrganizationIds: ['org-a'] };
    // The token names one organization; roles may be held for others (a mandataire's bodies), excepted or not.
    expect(mayInclude(everyBodyBut, viewer('x', { organizationId: 'org-b' }))).toBe(true);
    expect(mayInclude(everyBodyBut, viewer('y', { organizationId: 'org-a' }))).toBe(true);
    expect(mayInclude(everyBodyBut, viewer('r', { roles: ['RSE'], organizationId: 'firm' }))).toBe(true);
  });

  it('limits the streams of one user (TOO_MANY_STREAMS), and frees a place when one ends', async () => {
    const { live } = hub();
    const first = live.open(await subscriber(viewer('alice')), operation);
    live.open(await subscriber(viewer('alice')), operation);
    expect(() => live.open({ ...first.subscriber }, operation)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'TOO_MANY_STREAMS' }) }));
    first.end('client');
    expect(() => live.open({ ...first.subscriber }, operation)).not.toThrow();
    live.close();
  });

  it('R2: a sign-out ends the streams of that session; a suspension every stream of the user', async () => {
    const { live } = hub();
    const reasons: string[] = [];
    const one = live.open(await subscriber(viewer('alice')), operation, (reason) => reasons.push(reason));
    const other = live.open({ ...(await subscriber(viewer('alice', { sessionId: 'other' }))) }, operation, (reason) => reasons.push(reason));
    live.endSessions({ userId: 'alice', sessionId: 'session-alice', reason: 'SIGNED_OUT' });
    expect(one.endedBy).toBe('session-ended');
    expect(other.endedBy).toBeUndefined();
    expect(await one.next()).toEqual({ done: false, value: { errors: [expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })] } });
    expect((await one.next()).done).toBe(true);
    live.endSessions({ userId: 'alice', sessionId: null, reason: 'SUSPENDED' });
    expect(other.endedBy).toBe('session-ended');
    expect(reasons).toEqual(['session-ended', 'session-ended']);
  });

  it('R6: the session is checked again at each event: ended, the stream closes without the event', async () => {
    const ended = new Set<string>();
    const { live, queried } = hub({ ended });
    const alice = live.open(await subscriber(viewer('alice')), operation);
    ended.add('alice');
    live.deliver(delivered('n1', users('alice')));
    const first = await alice.next();
    expect(first.value).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })] });
    expect(queried).toEqual([]);
  });

  it('a client that does not read: its queue is bounded, then its stream is closed', async () => {
    const { live } = hub({ queueLimit: 3 });
    const alice = live.open(await subscriber(viewer('alice')), operation);
    for (const id of ['n1', 'n2', 'n3']) live.deliver(delivered(id, users('alice')));
    expect(alice.endedBy).toBeUndefined();
    live.deliver(delivered('n4', users('alice')));
    expect(alice.endedBy).toBe('overflow');
    expect(live.size).toBe(0);
  });

  it('R20: a notification that could not be judged is an event with the retryable error; one refused is nothing', async () => {
    const codes: Record<string, string> = { n1: 'SERVICE_UNAVAILABLE', n2: 'INTERNAL_SERVER_ERROR', n3: 'FORBIDDEN' };
    const { live } = hub({ readable: () => false, errorsOf: (id) => [{ message: 'x', extensions: { code: codes[id] } }] });
    const alice = live.open(await subscriber(viewer('alice')), operation);
    for (const id of ['n1', 'n2', 'n3', 'n4']) live.deliver(delivered(id, users('alice')));
    expect((await alice.next()).value).toEqual({ data: null, errors: [{ message: 'x', extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
    expect((await alice.next()).value).toEqual({ data: null, errors: [{ message: 'x', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    // n3 (a refusal) and n4 (no error: not theirs now) send nothing; the stream waits for more.
    const next = alice.next();
    live.deliver(delivered('n5', users('alice')));
    expect(await Promise.race([next.then(() => 'event'), new Promise((resolve) => setImmediate(() => resolve('waiting')))])).toBe('waiting');
    live.close();
  });
});
