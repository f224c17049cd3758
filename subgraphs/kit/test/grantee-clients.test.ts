import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDirectoryClient, FIRM_USERS_PATH, MEMBERS_PATH } from '../src/auth/directory-client';
import { createMandatesClient, MANDATES_DECISION_PATH } from '../src/auth/mandates-client';
import { freePort } from '../src/testing';

// The clients other subgraphs use to check a grantee (R13, R15, R20): an answer is an answer, a
// refusal to tell is "none", and anything else is an outage (SERVICE_UNAVAILABLE), never "none".

let server: Server;
let origin: string;
/** What the stand-in answers next: status and body, or nothing at all (`silent`: the client's own timeout ends the call). */
let reply: { status: number; body?: unknown; silent?: boolean };
let lastUrl = '';

beforeAll(async () => {
  server = createServer((request, response) => {
    lastUrl = request.url ?? '';
    // Silent: the response stays open until the client gives up (afterAll closes what is left).
    if (reply.silent) return;
    response.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body === undefined ? '' : JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const USER = '0a1b2c3d-0000-4000-8000-000000000001';
const ORGANIZATION = '0a1b2c3d-0000-4000-8000-000000000002';
const SERVICE = '0a1b2c3d-0000-4000-8000-000000000003';
/**
 * How long a client waits: long enough that a loaded CI machine's answer is never taken for a
 * timeout, except where the stand-in stays silent and the client must give up by itself.
 */
const timeoutFor = (next: { silent?: boolean }) => (next.silent ? 200 : 5_000);

const outage = expect.objectContaining({ extensions: expect.objectContaining({ code: 'SERVICE_UNAVAILABLE' }) });

describe("identity's directory client", () => {
  const directory = () => createDirectoryClient(`${origin}${FIRM_USERS_PATH}`, timeoutFor(reply));

  it("R20: asks the members on the directory's origin and returns the member", async () => {
    reply = { status: 200, body: { userId: USER, organizationId: ORGANIZATION, organizationKind: 'AUDITING_FIRM' } };
    expect(await directory().findMember(USER, 'Bearer t')).toEqual({ userId: USER, organizationId: ORGANIZATION, organizationKind: 'AUDITING_FIRM' });
    expect(lastUrl).toBe(`${MEMBERS_PATH}/${USER}`);
  });

  it('R20: 404 (none, or not the caller to know) is no member', async () => {
    reply = { status: 404 };
    expect(await directory().findMember(USER, 'Bearer t')).toBeNull();
    expect(await directory().findFirmUser('GCE0000001', 'Bearer t')).toBeNull();
  });

  it.each([
    ['a 5xx', { status: 503 }],
    ['a body about someone else', { status: 200, body: { userId: ORGANIZATION, organizationId: ORGANIZATION, organizationKind: 'MRC' } }],
    ['no answer in time', { status: 200, silent: true }],
  ])('an outage is not a refusal: %s is SERVICE_UNAVAILABLE', async (_case, next) => {
    reply = next;
    await expect(directory().findMember(USER, 'Bearer t')).rejects.toEqual(outage);
    await expect(directory().findFirmUser('GCE0000001', 'Bearer t')).rejects.toEqual(outage);
  });

  it('an outage is not a refusal: an unreachable directory is SERVICE_UNAVAILABLE', async () => {
    const closed = createDirectoryClient(`http://127.0.0.1:${await freePort()}${FIRM_USERS_PATH}`, 200);
    await expect(closed.findMember(USER, 'Bearer t')).rejects.toEqual(outage);
  });
});

describe("the mandates decision point's client", () => {
  const ask = () => createMandatesClient(`${origin}${MANDATES_DECISION_PATH}`, timeoutFor(reply))({ organizationId: ORGANIZATION, serviceId: SERVICE, mandataireId: USER }, 'Bearer t');

  it('R13: returns the firm of a mandate in force, and none when there is none or the caller may not ask (403)', async () => {
    reply = { status: 200, body: { inForce: true, firmOrganizationId: ORGANIZATION } };
    expect(await ask()).toEqual({ firmOrganizationId: ORGANIZATION });
    expect(new URL(lastUrl, origin).searchParams.get('mandataireId')).toBe(USER);
    reply = { status: 200, body: { inForce: false } };
    expect(await ask()).toBeNull();
    reply = { status: 403 };
    expect(await ask()).toBeNull();
  });

  it("a 401 is the caller's session that ended meanwhile: UNAUTHENTICATED, from both clients", async () => {
    reply = { status: 401 };
    const ended = expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) });
    await expect(ask()).rejects.toEqual(ended);
    await expect(createDirectoryClient(`${origin}${FIRM_USERS_PATH}`, timeoutFor(reply)).findMember(USER, 'Bearer t')).rejects.toEqual(ended);
  });

  it.each([
    ['a 5xx', { status: 500 }],
    ['an answer it does not understand', { status: 200, body: { inForce: 'maybe' } }],
    ['no answer in time', { status: 200, silent: true }],
  ])('an outage is not a refusal: %s is SERVICE_UNAVAILABLE', async (_case, next) => {
    reply = next;
    await expect(ask()).rejects.toEqual(outage);
  });
});
