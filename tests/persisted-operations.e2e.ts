import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildManifest, operationId, type TrustedDocumentsManifest } from '../gateway/src/persisted/manifest';
import { bearer, signIn } from './support/session';
import { startGatewayReplica, startStack, type Stack } from './support/stack';

const PORTAL = path.resolve(__dirname, '..', 'clients', 'portal');

let stack: Stack;
let rse: Record<string, string>;

beforeAll(async () => {
  stack = await startStack();
  rse = bearer(await signIn(stack.gatewayUrl, 'MAG0000001'));
});

afterAll(async () => {
  await stack?.close();
});

interface Body {
  data?: Record<string, any> | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

/** A POST as an APQ client sends it: the hash in `extensions`, the text only when registering. */
async function post(url: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Body> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return (await response.json()) as Body;
}

const persisted = (sha256Hash: string) => ({ persistedQuery: { version: 1, sha256Hash } });
const codes = (body: Body) => (body.errors ?? []).map((error) => error.extensions?.code);

async function portalDocuments() {
  const folder = path.join(PORTAL, 'operations');
  const files = (await readdir(folder)).filter((file) => file.endsWith('.graphql')).sort();
  return Promise.all(files.map(async (file) => ({ file, text: await readFile(path.join(folder, file), 'utf8') })));
}

describe('Automatic Persisted Queries (the default)', () => {
  it('a hash alone is unknown at first, registered with its text, then enough', async () => {
    const query = '{ me { id givenName } }';
    const hash = operationId(query);

    const unknown = await post(stack.gatewayUrl, { extensions: persisted(hash) }, rse);
    expect(codes(unknown)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);

    const registered = await post(stack.gatewayUrl, { query, extensions: persisted(hash) }, rse);
    expect(registered).toEqual({ data: { me: { id: expect.any(String), givenName: 'Isabelle' } } });

    expect(await post(stack.gatewayUrl, { extensions: persisted(hash) }, rse)).toEqual(registered);
  });

  it('a text whose hash is not the one announced is refused as the client’s mistake (HTTP 400, BAD_REQUEST), and registers nothing', async () => {
    const hash = operationId('{ me { id } }');
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...rse },
      body: JSON.stringify({ query: '{ me { email } }', extensions: persisted(hash) }),
    });
    expect(response.status).toBe(400);
    // Apollo gives this refusal no code; the kit's formatPublicError knows it by its message.
    expect(await response.json()).toEqual({
      errors: [
        {
          message: "L'empreinte sha256Hash de la requête persistée ne correspond pas au texte de l'opération.",
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    });
    expect(codes(await post(stack.gatewayUrl, { extensions: persisted(hash) }, rse))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });
});

describe('trusted documents', () => {
  let manifest: TrustedDocumentsManifest;
  let folder: string;
  let trusted: Awaited<ReturnType<typeof startGatewayReplica>>;

  beforeAll(async () => {
    manifest = buildManifest(await portalDocuments());
    folder = await mkdtemp(path.join(tmpdir(), 'pgamr-trusted-'));
    const manifestPath = path.join(folder, 'trusted-documents.json');
    await writeFile(manifestPath, JSON.stringify(manifest));
    trusted = await startGatewayReplica(stack, {
      GATEWAY_PERSISTED_OPERATIONS: 'trusted',
      GATEWAY_TRUSTED_DOCUMENTS_PATH: manifestPath,
      GATEWAY_INTROSPECTION: 'staff',
    });
  });

  afterAll(async () => {
    await trusted?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('the committed manifest is what `npm run trusted-documents` makes of the portal’s documents', async () => {
    const committed = JSON.parse(await readFile(path.join(PORTAL, 'trusted-documents.json'), 'utf8'));
    expect(committed).toEqual(manifest);
    expect(manifest.operations.map((operation) => operation.name)).toEqual(
      expect.arrayContaining(['MyOnlineServices', 'OnlineServicesCatalog', 'Dossiers', 'RequestAccess']),
    );
  });

  it('a manifest operation runs when sent by its id alone', async () => {
    const catalog = manifest.operations.find((operation) => operation.name === 'OnlineServicesCatalog');
    const body = await post(trusted.url, { extensions: persisted(catalog!.id) }, rse);
    expect(body.errors).toBeUndefined();
    expect(body.data?.onlineServices.nodes.map((service: { code: string }) => service.code)).toEqual(expect.arrayContaining(['TECQ', 'PERFORM']));
  });

  it('a manifest operation runs by its id with variables', async () => {
    const dossiers = manifest.operations.find((operation) => operation.name === 'Dossiers');
    const body = await post(trusted.url, { extensions: persisted(dossiers!.id), variables: { first: 5 } }, rse);
    expect(body.errors).toBeUndefined();
    expect(body.data?.dossiers.nodes.length).toBeGreaterThan(0);
  });

  it('an operation outside the manifest is refused with PERSISTED_QUERY_NOT_ALLOWED, and cannot be registered', async () => {
    const query = '{ onlineServices { nodes { id code } } }';
    const asText = await post(trusted.url, { query }, rse);
    expect(asText.data ?? undefined).toBeUndefined();
    expect(codes(asText)).toEqual(['PERSISTED_QUERY_NOT_ALLOWED']);
    expect(asText.errors?.[0]?.message).toBe("Cette opération n'est pas parmi les opérations autorisées du portail.");

    const registering = await post(trusted.url, { query, extensions: persisted(operationId(query)) }, rse);
    expect(codes(registering)).toEqual(['PERSISTED_QUERY_NOT_ALLOWED']);
    expect(codes(await post(trusted.url, { extensions: persisted(operationId(query)) }, rse))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  it('staff may still introspect (for their tools); nobody else may', async () => {
    const introspection = { query: '{ __schema { queryType { name } } }' };
    expect(await post(trusted.url, introspection)).toMatchObject({ errors: [expect.anything()] });
    const staff = bearer(await signIn(stack.gatewayUrl, 'MAM0000002'));
    expect(await post(trusted.url, introspection, staff)).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });
});
