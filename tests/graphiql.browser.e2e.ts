import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { stableId } from '@pgamr/kit';
import { CATALOG_CODES } from '@pgamr/kit/error-catalog';
import { waitFor } from '@pgamr/kit/testing';
import { GRAPHIQL_CSP } from '../gateway/src/graphiql/route';
import { execute } from './support/graphql';
import { bearer, DEMO_PASSWORD, signIn } from './support/session';
import { startGatewayReplica, startStack, type Stack } from './support/stack';

// Debian's Chromium, never a browser Playwright downloads: `.ci/run` installs it when missing.
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = path.join(__dirname, 'artifacts', 'graphiql.png');
const ANALYST_SCREENSHOT = path.join(__dirname, 'artifacts', 'graphiql-analyst.png');
// Patrick Lavoie, DGI staff (subgraphs/identity/src/seed/demo-data.ts): sees the DGI programs' dossiers.
const DGI_ANALYST = 'MAM0000002';
const CROSSING_QUERY = '{ me { givenName organization { name dossiers { nodes { title service { code } } } } } }';

/** GraphiQL 4's editors are CodeMirror 5's, which hangs its API on the editor's element. */
interface CodeMirrorElement {
  CodeMirror: { getValue: () => string; setValue: (value: string) => void };
}

/** RFC 4180 records: a quoted field may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quoted && char === '"' && text[index + 1] === '"') {
      field += '"';
      index++;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (!quoted && char === ',') {
      record.push(field);
      field = '';
    } else if (!quoted && char === '\r' && text[index + 1] === '\n') {
      records.push([...record, field]);
      record = [];
      field = '';
      index++;
    } else {
      field += char;
    }
  }
  if (field || record.length > 0) records.push([...record, field]);
  return records;
}

/** Watches every request of a page (WebSockets included) and every CSP refusal, so that a test asserts nothing left the origin. */
function watchRequests(page: Page) {
  const requested: string[] = [];
  const websockets: string[] = [];
  const refusedByCsp: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  // A WebSocket's origin is ws://host: counted as the page's own http:// origin with that scheme.
  page.on('websocket', (socket) => {
    websockets.push(socket.url());
    requested.push(socket.url().replace(/^ws/, 'http'));
  });
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) refusedByCsp.push(message.text());
  });
  return { requested, websockets, refusedByCsp };
}

async function signInAs(page: Page, code: string): Promise<void> {
  await page.getByLabel('Code clicSÉQUR').fill(code);
  await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('status').filter({ hasText: 'Connecté' }).waitFor();
}

/**
 * Ticks a field in the explorer, as an analyst clicks it: a field's checkbox and name are a span;
 * once ticked, an object field's span is wrapped with its subfields in a div (the span's
 * grandparent), where the next ticks look.
 */
async function tick(scope: Locator, field: string): Promise<Locator> {
  const label = scope.locator(`span[data-field-name="${field}"]`).first();
  await label.click();
  return label.locator('xpath=../..');
}

/** Clicks « Exporter le résultat en CSV » and reads the file downloaded: its bytes and its records after the header. */
async function exportCsv(page: Page): Promise<{ bytes: Buffer; header: string[]; rows: string[][]; fileName: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exporter le résultat en CSV' }).click()]);
  const bytes = await readFile(await download.path());
  const [header = [], ...rows] = parseCsv(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  return { bytes, header, rows, fileName: download.suggestedFilename() };
}

async function editorValue(editor: Locator): Promise<string> {
  return editor.evaluate((element: unknown) => (element as CodeMirrorElement).CodeMirror.getValue());
}

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`GraphiQL browser test skipped: ${CHROMIUM} is absent (apt-get install chromium).`);

(haveChromium ? describe : describe.skip)('GraphiQL served by the gateway, in Debian’s Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    stack = await startStack();
    origin = new URL(stack.gatewayUrl).origin;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('an analyst signs in, runs a query across the three subgraphs, and nothing leaves the origin', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const { requested, refusedByCsp } = watchRequests(page);

    const response = await page.goto(`${origin}/graphiql`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toBe(GRAPHIQL_CSP);

    await signInAs(page, 'MAG0000001');

    // CodeMirror 5 editors expose their API on their element; typing would fight auto-closing brackets.
    await page
      .locator('.graphiql-query-editor .CodeMirror')
      .evaluate((element: unknown, query: string) => (element as CodeMirrorElement).CodeMirror.setValue(query), CROSSING_QUERY);
    await page.locator('.graphiql-execute-button').click();
    const responseEditor = page.locator('.graphiql-response .CodeMirror').filter({ hasText: '"data"' });
    await responseEditor.waitFor({ timeout: 30_000 });
    const result = JSON.parse(await responseEditor.evaluate((element: unknown) => (element as CodeMirrorElement).CodeMirror.getValue()));

    expect(result.errors).toBeUndefined();
    const me = result.data.me;
    expect(me.givenName).toEqual(expect.any(String));
    expect(me.organization.name).toEqual(expect.any(String));
    expect(me.organization.dossiers.nodes.length).toBeGreaterThan(0);
    for (const dossier of me.organization.dossiers.nodes) expect(dossier.service.code).toEqual(expect.any(String));

    // The docs come from introspection through the same fetcher.
    await page.getByRole('button', { name: /documentation explorer/i }).click();
    await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).first().waitFor();

    // The kit's error catalog, bundled into the page: every code, with what to do about it.
    await page.getByRole('button', { name: /codes d'erreur/i }).click();
    const panel = page.getByRole('region', { name: "Codes d'erreur" });
    for (const code of CATALOG_CODES) await panel.getByText(code, { exact: true }).first().waitFor();
    await panel.getByText(/verrouillé pour un temps/).waitFor();

    await mkdir(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    await context.close();

    expect(requested.length).toBeGreaterThan(3);
    expect(requested.filter((url) => new URL(url).origin !== origin && !url.startsWith('data:'))).toEqual([]);
    expect(refusedByCsp).toEqual([]);
  }, 120_000);

  it('a DGI analyst builds a query by ticking fields, runs it, and exports the result as CSV; nothing leaves the origin', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const { requested, refusedByCsp } = watchRequests(page);

    const response = await page.goto(`${origin}/graphiql`);
    expect(response?.headers()['content-security-policy']).toBe(GRAPHIQL_CSP);
    await signInAs(page, DGI_ANALYST);
    const queryEditor = page.locator('.graphiql-query-editor .CodeMirror');

    // The ready-made examples open in a tab of their own.
    await page.getByRole('button', { name: /exemples/i }).click();
    const examples = page.getByRole('region', { name: 'Exemples' });
    await examples.getByRole('button', { name: 'Dossiers en analyse' }).click();
    await page.locator('.graphiql-tab').filter({ hasText: 'DossiersEnAnalyse' }).waitFor();
    expect(await editorValue(queryEditor)).toContain('query DossiersEnAnalyse {');
    expect(await page.locator('.graphiql-tab').count()).toBe(2);

    // An empty editor: the explorer starts a new operation, written as the analyst ticks.
    await queryEditor.evaluate((element: unknown) => (element as CodeMirrorElement).CodeMirror.setValue(''));
    await page.getByRole('button', { name: /constructeur de requêtes/i }).click();
    const explorer = page.locator('.graphiql-explorer-root');
    // The schema comes from introspection: the explorer lists the root fields once it has it.
    await explorer.locator('span[data-field-name="dossiers"]').first().waitFor();
    const dossiers = await tick(explorer, 'dossiers');
    await tick(dossiers, 'totalCount');
    const nodes = await tick(dossiers, 'nodes');
    await tick(nodes, 'title');
    await tick(nodes, 'status');
    const organization = await tick(nodes, 'organization');
    await tick(organization, 'name');
    const built = await editorValue(queryEditor);
    expect(built.replace(/\s+/g, ' ')).toMatch(/^query MyQuery \{ dossiers \{ totalCount nodes \{ title status organization \{ name \} \} \} \}/);

    await page.locator('.graphiql-execute-button').click();
    const responseEditor = page.locator('.graphiql-response .CodeMirror').filter({ hasText: '"totalCount"' });
    await responseEditor.waitFor({ timeout: 30_000 });
    const result = JSON.parse(await editorValue(responseEditor));
    expect(result.errors).toBeUndefined();
    const { totalCount, nodes: dossierNodes } = result.data.dossiers;
    expect(dossierNodes.length).toBeGreaterThan(0);

    const { bytes, header, rows, fileName } = await exportCsv(page);
    expect(fileName).toMatch(/^pgamr-MyQuery-\d{4}-\d{2}-\d{2}\.csv$/);
    // UTF-8 with its BOM, so that Excel reads the accents right.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(header).toEqual([
      'Nombre de dossiers de la liste',
      'Titre du projet visé par la demande',
      'Étape où en est le dossier',
      "Nom officiel de l'organisation",
    ]);
    // One row per dossier of the result, the list's totalCount repeated on each.
    const expected = (dossierNodes as Array<{ title: string; status: string; organization: { name: string } }>).map((node) => [
      String(totalCount),
      node.title,
      node.status,
      node.organization.name,
    ]);
    expect(rows).toEqual(expected);

    await mkdir(path.dirname(ANALYST_SCREENSHOT), { recursive: true });
    await page.screenshot({ path: ANALYST_SCREENSHOT });
    await context.close();

    expect(requested.length).toBeGreaterThan(3);
    expect(requested.filter((url) => new URL(url).origin !== origin && !url.startsWith('data:'))).toEqual([]);
    expect(refusedByCsp).toEqual([]);
  }, 120_000);

  it('a DGI analyst builds a statistics query in the explorer, grouped by program, and exports one row per group', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const { requested, refusedByCsp } = watchRequests(page);
    await page.goto(`${origin}/graphiql`);
    await signInAs(page, DGI_ANALYST);
    const queryEditor = page.locator('.graphiql-query-editor .CodeMirror');
    await queryEditor.evaluate((element: unknown) => (element as CodeMirrorElement).CodeMirror.setValue(''));

    await page.getByRole('button', { name: /constructeur de requêtes/i }).click();
    const explorer = page.locator('.graphiql-explorer-root');
    await explorer.locator('span[data-field-name="dossierStatistics"]').first().waitFor();
    const statistics = await tick(explorer, 'dossierStatistics');
    // The argument's checkbox: the explorer fills it with the enum's first value, PROGRAM.
    await statistics.locator('[data-arg-name="groupBy"] > span').first().click();
    const groups = await tick(statistics, 'groups');
    const program = await tick(groups, 'program');
    await tick(program, 'code');
    await tick(groups, 'dossierCount');
    await tick(groups, 'requestedAmount');
    const built = (await editorValue(queryEditor)).replace(/\s+/g, ' ');
    expect(built).toMatch(/^query MyQuery \{ dossierStatistics\(groupBy: PROGRAM\) \{ groups \{ program \{ code \} dossierCount requestedAmount \} \} \}/);

    await page.locator('.graphiql-execute-button').click();
    const responseEditor = page.locator('.graphiql-response .CodeMirror').filter({ hasText: '"dossierCount"' });
    await responseEditor.waitFor({ timeout: 30_000 });
    const result = JSON.parse(await editorValue(responseEditor));
    expect(result.errors).toBeUndefined();
    const resultGroups = result.data.dossierStatistics.groups as Array<{ program: { code: string }; dossierCount: number; requestedAmount: string }>;
    expect(resultGroups.length).toBeGreaterThan(0);

    const { bytes, header, rows } = await exportCsv(page);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(header).toEqual(['Sigle du service', 'Nombre de dossiers', 'Somme exacte des montants demandés']);
    expect(rows).toEqual(resultGroups.map((group) => [group.program.code, String(group.dossierCount), group.requestedAmount]));
    await context.close();

    expect(requested.filter((url) => new URL(url).origin !== origin && !url.startsWith('data:'))).toEqual([]);
    expect(refusedByCsp).toEqual([]);
  }, 120_000);

  it('R8, R20: GraphiQL runs a subscription over SSE, then over graphql-ws, and shows the event of a mutation another user sends through the gateway; nothing leaves the origin', async () => {
    const TECQ = stableId('online-service', 'TECQ');
    const SUBSCRIPTION = 'subscription Live { notifications { type subject { ... on AccessRequest { id status requester { givenName } } } } }';
    const [caroline, isabelle] = await Promise.all([signIn(stack.gatewayUrl, 'MAG0000004'), signIn(stack.gatewayUrl, 'MAG0000001')]);

    /** Signs `code` in on a fresh page, chooses the protocol and starts the subscription; resolves once the gateway holds its stream. */
    async function subscribeIn(code: string, protocol: 'sse' | 'ws') {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      const watched = watchRequests(page);
      const response = await page.goto(`${origin}/graphiql`);
      expect(response?.headers()['content-security-policy']).toBe(GRAPHIQL_CSP);
      await signInAs(page, code);
      await page.getByLabel('Abonnements').selectOption(protocol);
      await page
        .locator('.graphiql-query-editor .CodeMirror')
        .evaluate((element: unknown, query: string) => (element as CodeMirrorElement).CodeMirror.setValue(query), SUBSCRIPTION);
      const before = stack.gateway.live.hub.size;
      await page.locator('.graphiql-execute-button').click();
      await waitFor(() => stack.gateway.live.hub.size === before + 1, { timeoutMs: 30_000, description: `${code}'s stream open over ${protocol}` });
      return { context, page, ...watched };
    }

    /** The event the result pane shows once it names `text`. */
    async function shownEvent(page: Page, text: string): Promise<any> {
      const pane = page.locator('.graphiql-response .CodeMirror').filter({ hasText: text });
      await pane.waitFor({ timeout: 60_000 });
      return JSON.parse(await editorValue(pane));
    }

    // SSE (the default): Isabelle, TECQ's local manager at Magog, waits for requests; Caroline files one.
    const manager = await subscribeIn('MAG0000001', 'sse');
    const filed = await execute<any>(stack.gatewayUrl, 'mutation($s: ID!) { requestAccess(input: { serviceId: $s }) { accessRequest { id } } }', { s: TECQ }, bearer(caroline));
    expect(filed.errors).toBeUndefined();
    const requestId = filed.data.requestAccess.accessRequest.id as string;
    expect(await shownEvent(manager.page, requestId)).toEqual({
      data: { notifications: { type: 'ACCESS_REQUEST_FILED', subject: { id: requestId, status: 'PENDING', requester: { givenName: 'Caroline' } } } },
    });

    // graphql-ws: Caroline waits for the decision; Isabelle grants it.
    const requester = await subscribeIn('MAG0000004', 'ws');
    const DECIDE = 'mutation($r: ID!) { decideAccessRequest(input: { accessRequestId: $r, decision: GRANT }) { accessRequest { status } } }';
    expect((await execute<any>(stack.gatewayUrl, DECIDE, { r: requestId }, bearer(isabelle))).data.decideAccessRequest.accessRequest.status).toBe('GRANTED');
    expect(await shownEvent(requester.page, 'ACCESS_REQUEST_DECIDED')).toEqual({
      data: { notifications: { type: 'ACCESS_REQUEST_DECIDED', subject: { id: requestId, status: 'GRANTED', requester: { givenName: 'Caroline' } } } },
    });
    // Each over its protocol: SSE on POST /graphql/stream, graphql-ws on the WebSocket of /graphql.
    expect(manager.requested).toContain(`${origin}/graphql/stream`);
    expect(manager.websockets).toEqual([]);
    expect(requester.websockets).toEqual([`${origin.replace(/^http/, 'ws')}/graphql`]);
    expect(requester.requested).not.toContain(`${origin}/graphql/stream`);

    for (const { context, requested, refusedByCsp } of [manager, requester]) {
      await context.close();
      expect(requested.filter((url) => new URL(url).origin !== origin && !url.startsWith('data:'))).toEqual([]);
      expect(refusedByCsp).toEqual([]);
    }
  }, 120_000);

  it('GATEWAY_GRAPHIQL=off: no page', async () => {
    const replica = await startGatewayReplica(stack, { GATEWAY_GRAPHIQL: 'off' });
    try {
      const response = await fetch(new URL('/graphiql', replica.url));
      expect(response.status).toBe(404);
    } finally {
      await replica.close();
    }
  });
});
