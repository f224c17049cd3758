import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { INTERNAL_ERROR_MESSAGE } from '@pgamr/kit/errors';
import { startGatewayReplica, startStack, type Stack } from './support/stack';

const ALLOWED_ORIGIN = 'https://portail.mamh.example';
const OTHER_ORIGIN = 'https://attaquant.example';
const BODY_LIMIT_BYTES = 2_048;
const TYPENAME = JSON.stringify({ query: '{ __typename }' });

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ gatewayEnv: { CORS_ORIGINS: ALLOWED_ORIGIN, GATEWAY_BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES) } });
});

afterAll(async () => {
  await stack?.close();
});

const postJson = (body: string, headers: Record<string, string> = {}, url = stack.gatewayUrl) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('CORS: only the configured origins', () => {
  it('answers the preflight and the request of an allowed origin with CORS headers', async () => {
    const preflight = await fetch(stack.gatewayUrl, {
      method: 'OPTIONS',
      headers: { origin: ALLOWED_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();

    const response = await postJson(TYPENAME, { origin: ALLOWED_ORIGIN });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(response.headers.get('access-control-expose-headers')).toContain('retry-after');
  });

  it('gives another origin no CORS header, so its browser pages cannot read the API', async () => {
    const preflight = await fetch(stack.gatewayUrl, {
      method: 'OPTIONS',
      headers: { origin: OTHER_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const response = await postJson(TYPENAME, { origin: OTHER_ORIGIN });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CSRF: no GraphQL request without a CORS preflight', () => {
  it('refuses a simple GET and a text/plain POST, which a browser sends cross-site without asking', async () => {
    const get = await fetch(`${stack.gatewayUrl}?query=${encodeURIComponent('{ __typename }')}`);
    expect(get.status).toBe(400);
    expect(await get.text()).toContain('Cross-Site Request Forgery');

    const textPlain = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: TYPENAME });
    expect(textPlain.status).toBe(400);
    expect(await textPlain.text()).toContain('Cross-Site Request Forgery');
  });

  it('serves the same GET once it carries a header that forces a preflight', async () => {
    const get = await fetch(`${stack.gatewayUrl}?query=${encodeURIComponent('{ __typename }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('request body size limit', () => {
  /** `{ __typename }` padded with a comment to exactly `size` bytes of JSON. */
  const paddedTo = (size: number) => {
    const empty = JSON.stringify({ query: '#\n{ __typename }' });
    return JSON.stringify({ query: `#${'x'.repeat(size - empty.length)}\n{ __typename }` });
  };

  it('serves a body at the limit and refuses one byte more with 413 and a French message', async () => {
    expect((await postJson(paddedTo(BODY_LIMIT_BYTES))).status).toBe(200);

    const response = await postJson(paddedTo(BODY_LIMIT_BYTES + 1));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      errors: [{ message: `La requête dépasse la taille maximale permise (${BODY_LIMIT_BYTES} octets).`, extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('answers a broken JSON body in French, without the parser’s own message', async () => {
    const response = await postJson('{"query": "{ __typename }"');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [{ message: "La requête est invalide : le corps n'est pas un JSON valide.", extensions: { code: 'BAD_REQUEST' } }],
    });
  });
});

describe("client mistakes at the HTTP level: the fitting 4xx and a GraphQL-shaped French error, never Fastify's own body", () => {
  const SUBGRAPH_BODY_LIMIT_BYTES = 1_048_576;
  const services = () => [
    { name: 'the gateway', url: stack.gatewayUrl, bodyLimit: BODY_LIMIT_BYTES },
    ...Object.entries(stack.subgraphs).map(([name, subgraph]) => ({ name, url: subgraph.url, bodyLimit: SUBGRAPH_BODY_LIMIT_BYTES })),
  ];
  const cases: Array<[string, number, string, (target: ReturnType<typeof services>[number]) => Promise<Response>, RegExp]> = [
    ['broken JSON', 400, 'BAD_REQUEST', ({ url }) => postJson('{"query": "{ __typename }"', {}, url), /n'est pas un JSON valide/],
    ['an unknown route', 404, 'NOT_FOUND', ({ url }) => fetch(url.replace(/\/graphql$/, '/nulle-part')), /Aucune ressource à cette adresse \(GET\)/],
    ['a body over the limit', 413, 'BAD_REQUEST', ({ url, bodyLimit }) => postJson(JSON.stringify({ query: '{ __typename }', pad: 'x'.repeat(bodyLimit) }), {}, url), /taille maximale permise/],
    ['a content type other than JSON', 415, 'BAD_REQUEST', ({ url }) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<query/>' }), /Type de contenu non pris en charge/],
  ];

  it.each(cases)('%s: HTTP %i, %s, at the gateway and at every subgraph', async (_case, status, code, send, french) => {
    for (const target of services()) {
      const response = await send(target);
      const text = await response.text();
      expect({ service: target.name, status: response.status }).toEqual({ service: target.name, status });
      expect(text).not.toMatch(/FST_ERR|statusCode|Route .* not found/);
      expect(JSON.parse(text)).toEqual({ errors: [{ message: expect.stringMatching(french), extensions: { code } }] });
    }
  });
});

describe('security headers for a JSON API', () => {
  it('sends nosniff, a CSP that loads and frames nothing, and no HSTS outside production', async () => {
    const response = await postJson(TYPENAME);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'");
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('strict-transport-security')).toBeNull();
  });

  it('sends HSTS in production', async () => {
    const production = await startGatewayReplica(stack, { NODE_ENV: 'production' });
    try {
      const response = await postJson(TYPENAME, {}, production.url);
      expect(response.status).toBe(200);
      expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    } finally {
      await production.close();
    }
  });
});

describe('masked errors: a request id for support, nothing of the internals', () => {
  let leakySubgraph: Server;
  let leakyUrl: string;

  beforeAll(async () => {
    // A subgraph that leaks its internals in its error, as a failing database driver would.
    leakySubgraph = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({
          data: null,
          errors: [
            {
              message: `connect ECONNREFUSED postgres://identity:s3cret@db.internal:5432 at ${leakyUrl}`,
              extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['Error: connect ECONNREFUSED', '    at TCPConnectWrap.afterConnect (node:net:1555:16)'] },
            },
          ],
        }),
      );
    });
    await new Promise<void>((resolve) => leakySubgraph.listen(0, '127.0.0.1', resolve));
    leakyUrl = `http://127.0.0.1:${(leakySubgraph.address() as AddressInfo).port}/graphql`;
  });

  afterAll(async () => {
    await new Promise((resolve) => leakySubgraph?.close(resolve));
  });

  it('answers the generic French message with the request id, without message, stack or subgraph URL', async () => {
    const gateway = await startGatewayReplica(stack, { IDENTITY_SUBGRAPH_URL: leakyUrl });
    try {
      const response = await postJson(
        JSON.stringify({ query: 'mutation { signIn(input: { clicSequrCode: "MAG0000002", password: "x" }) { session { accessToken } } }' }),
        {},
        gateway.url,
      );
      const requestId = response.headers.get('x-request-id');
      expect(requestId).toMatch(/^[A-Za-z0-9._-]{8,128}$/);
      const text = await response.text();
      expect(JSON.parse(text).errors).toEqual([
        expect.objectContaining({ message: INTERNAL_ERROR_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }),
      ]);
      for (const secret of ['ECONNREFUSED', 's3cret', 'db.internal', leakyUrl, '127.0.0.1', 'stacktrace', 'TCPConnectWrap']) {
        expect(text).not.toContain(secret);
      }
    } finally {
      await gateway.close();
    }
  });
});
