import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError } from 'graphql';
import { createDirectoryClient } from '../src/auth/directory-client';

let server: Server;
let url: string;
/** What the stand-in directory answers next: a status, headers and a body. */
let answer: { status: number; headers?: Record<string, string>; body?: string };
/** The If-None-Match header of the last request. */
let ifNoneMatch: string | undefined;

beforeAll(async () => {
  server = createServer((request, response) => {
    ifNoneMatch = request.headers['if-none-match'];
    response.writeHead(answer.status, answer.headers).end(answer.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/directory/v1/firm-users`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

const find = () => createDirectoryClient(url).findFirmUser('GCE0000001', 'Bearer t');
const codeOf = async (promise: Promise<unknown>) => {
  const error: unknown = await promise.then(() => undefined, (thrown: unknown) => thrown);
  return error instanceof GraphQLError ? error.extensions : error;
};

describe('createDirectoryClient', () => {
  it('answers the firm user, or null for a code that is no active firm user’s', async () => {
    const firmUser = { userId: 'u', organizationId: 'o', displayName: 'Julien Côté', organizationKind: 'CONSULTING_FIRM' };
    answer = { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(firmUser) };
    expect(await find()).toEqual(firmUser);
    answer = { status: 404 };
    expect(await find()).toBeNull();
  });

  it.each([400, 414, 431])('a code identity could not even read (HTTP %i) is no firm user’s, not an internal error', async (status) => {
    answer = { status };
    expect(await find()).toBeNull();
  });

  it('a caller identity refuses is UNAUTHENTICATED (its session ended meanwhile) or FORBIDDEN; a directory that cannot answer is SERVICE_UNAVAILABLE', async () => {
    answer = { status: 401 };
    expect(await codeOf(find())).toEqual({ code: 'UNAUTHENTICATED' });
    answer = { status: 403 };
    expect(await codeOf(find())).toEqual({ code: 'FORBIDDEN' });
    answer = { status: 429, headers: { 'retry-after': '30' } };
    expect(await codeOf(find())).toEqual({ code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 30 });
    answer = { status: 503 };
    expect(await codeOf(find())).toEqual({ code: 'SERVICE_UNAVAILABLE' });
    expect(await codeOf(createDirectoryClient('http://127.0.0.1:9/directory/v1/firm-users').findFirmUser('X', 'Bearer t'))).toEqual({ code: 'SERVICE_UNAVAILABLE' });
  });

  it("keeps the Répertoire's geography (regions and MRC) with its ETag: sends it back, takes a 304 as unchanged, a new answer as a correction (R5)", async () => {
    const client = createDirectoryClient(url);
    const json = { 'content-type': 'application/json' };
    const mrc = '9b2f4c1e-2a6d-4e57-9c1a-3f0e8b7d6a51';
    answer = { status: 200, headers: { ...json, etag: '"v1"' }, body: JSON.stringify({ bodies: [{ organizationId: 'm', administrativeRegion: '05 Estrie', mrcId: mrc }] }) };
    expect([...(await client.geography('Bearer t'))]).toEqual([['m', { administrativeRegion: '05 Estrie', mrcId: mrc }]]);
    expect(ifNoneMatch).toBeUndefined();
    answer = { status: 304 };
    expect([...(await client.geography('Bearer t'))]).toEqual([['m', { administrativeRegion: '05 Estrie', mrcId: mrc }]]);
    expect(ifNoneMatch).toBe('"v1"');
    answer = { status: 200, headers: { ...json, etag: '"v2"' }, body: JSON.stringify({ bodies: [{ organizationId: 'm', administrativeRegion: '16 Montérégie', mrcId: null }] }) };
    expect([...(await client.geography('Bearer t'))]).toEqual([['m', { administrativeRegion: '16 Montérégie', mrcId: null }]]);
    // A directory that cannot answer, or answers without an ETag, is an outage: never geography made up.
    answer = { status: 503 };
    expect(await codeOf(client.geography('Bearer t'))).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    answer = { status: 200, headers: json, body: JSON.stringify({ bodies: [] }) };
    expect(await codeOf(client.geography('Bearer t'))).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });
});
