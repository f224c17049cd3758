import { readSubgraphCallSettings, subgraphTimeoutMs } from './subgraph-call-settings';
import { isQueryText, retryDelayMs } from './subgraph-client';

describe('subgraph call settings', () => {
  it('defaults, and a time limit per subgraph over the general one', () => {
    const issues: string[] = [];
    const settings = readSubgraphCallSettings({ MANDATES_SUBGRAPH_TIMEOUT_MS: '2500' }, issues);
    expect(issues).toEqual([]);
    expect(settings).toMatchObject({ timeoutMs: 10_000, retries: 2, circuitResetTimeoutMs: 10_000 });
    expect(subgraphTimeoutMs(settings, 'mandates')).toBe(2500);
    expect(subgraphTimeoutMs(settings, 'identity')).toBe(10_000);
  });

  it('reports every bad value in French', () => {
    const issues: string[] = [];
    readSubgraphCallSettings({ SUBGRAPH_RETRIES: '-1', ROAD_AID_SUBGRAPH_TIMEOUT_MS: 'vite' }, issues);
    expect(issues).toHaveLength(2);
    expect(issues.join('\n')).toMatch(/ROAD_AID_SUBGRAPH_TIMEOUT_MS: nombre entier de millisecondes attendu/);
  });
});

describe('which subgraph calls may be retried', () => {
  it.each([
    ['query Dashboard__mandates__1($representations:[_Any!]!){_entities(representations:$representations){__typename}}', true],
    ['{ onlineServices { nodes { code } } }', true],
    ['mutation SignIn__identity__0 { signIn { session { accessToken } } }', false],
    ['subscription S { x }', false],
  ])('%s → %s', (query, expected) => {
    expect(isQueryText(query)).toBe(expected);
  });

  it('waits a random delay bounded by an exponential ceiling', () => {
    expect(retryDelayMs(1, 100, () => 0.999)).toBe(99);
    expect(retryDelayMs(3, 100, () => 0.999)).toBe(399);
    expect(retryDelayMs(10, 100, () => 0.999)).toBe(1998);
    expect(retryDelayMs(3, 100, () => 0)).toBe(0);
  });
});
