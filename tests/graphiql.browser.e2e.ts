import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CATALOG_CODES } from '@pgamr/kit/error-catalog';
import { GRAPHIQL_CSP } from '../gateway/src/graphiql/route';
import { DEMO_PASSWORD } from './support/session';
import { startGatewayReplica, startStack, type Stack } from './support/stack';

// Debian's Chromium, never a browser Playwright downloads: `.ci/run` installs it when missing.
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = path.join(__dirname, 'artifacts', 'graphiql.png');
const CROSSING_QUERY = '{ me { givenName organization { name dossiers { nodes { title service { code } } } } } }';

/** GraphiQL 4's editors are CodeMirror 5's, which hangs its API on the editor's element. */
interface CodeMirrorElement {
  CodeMirror: { getValue: () => string; setValue: (value: string) => void };
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
    const requested: string[] = [];
    const refusedByCsp: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) refusedByCsp.push(message.text());
    });

    const response = await page.goto(`${origin}/graphiql`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toBe(GRAPHIQL_CSP);

    await page.getByLabel('Code clicSÉQUR').fill('MAG0000001');
    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('status').filter({ hasText: 'Connecté' }).waitFor();

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
