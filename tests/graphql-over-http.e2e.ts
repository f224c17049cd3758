import { serverAudits, type AuditResult } from 'graphql-http';
import { startStack, type Stack } from './support/stack';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
});

/** Shown when an audit fails, so a regression names its audit and the server's answer. */
async function describeFailure(result: AuditResult): Promise<string> {
  if (result.status === 'ok') return `${result.id} ok`;
  const body = await result.response.text().catch(() => '');
  return `${result.id} ${result.status}: ${result.name} — ${result.reason} (HTTP ${result.response.status}: ${body.slice(0, 300)})`;
}

describe('GraphQL over HTTP: the gateway passes graphql-http server audits', () => {
  it('no audit ends in error (the remaining warnings and notices are explained in the README)', async () => {
    const results: AuditResult[] = [];
    for (const audit of serverAudits({ url: stack.gatewayUrl })) results.push(await audit.fn());

    const errors = await Promise.all(results.filter((r) => r.status === 'error').map(describeFailure));
    expect(results.length).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });
});
