import { readHttpConfig } from './http-config';

function read(env: NodeJS.ProcessEnv) {
  const issues: string[] = [];
  return { config: readHttpConfig(env, issues), issues };
}

describe('readHttpConfig', () => {
  it('allows no browser origin in production and the local front ends in development', () => {
    expect(read({ NODE_ENV: 'production' }).config.corsOrigins).toEqual([]);
    expect(read({}).config.corsOrigins).toContain('http://localhost:5173');
    expect(read({ NODE_ENV: 'production', CORS_ORIGINS: 'https://portail.mamh.gouv.qc.ca, https://a.example:8443' }).config.corsOrigins).toEqual([
      'https://portail.mamh.gouv.qc.ca',
      'https://a.example:8443',
    ]);
  });

  it('limits in production and development, not in the test profile unless asked', () => {
    const production = read({ NODE_ENV: 'production' }).config.rateLimit;
    expect(production.general).toEqual({ points: 600, windowSeconds: 60 });
    expect(production.signIn).toEqual({ points: 20, windowSeconds: 300 });
    expect(production.redisUrl).toBeUndefined();
    expect(read({ NODE_ENV: 'test' }).config.rateLimit.signIn.points).toBeGreaterThan(10_000);
    expect(read({ NODE_ENV: 'test', SIGN_IN_RATE_LIMIT_POINTS: '3' }).config.rateLimit.signIn.points).toBe(3);
  });

  it('reads trusted proxies as a switch, a hop count or a list of addresses', () => {
    expect(read({}).config.trustProxy).toBe(false);
    expect(read({ TRUST_PROXY: 'true' }).config.trustProxy).toBe(true);
    expect(read({ TRUST_PROXY: '2' }).config.trustProxy).toBe(2);
    expect(read({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,loopback' }).config.trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1', 'loopback']);
  });

  it('reports every bad value', () => {
    const { issues } = read({
      REDIS_URL: 'http://127.0.0.1:6379',
      RATE_LIMIT_POINTS: '0',
      CORS_ORIGINS: 'https://portail.example/app',
      TRUST_PROXY: 'yes please',
      GATEWAY_BODY_LIMIT_BYTES: 'big',
    });
    expect(issues).toEqual([
      expect.stringMatching(/^REDIS_URL: /),
      expect.stringMatching(/^RATE_LIMIT_POINTS: /),
      expect.stringMatching(/^GATEWAY_BODY_LIMIT_BYTES: /),
      expect.stringMatching(/^CORS_ORIGINS: /),
      expect.stringMatching(/^TRUST_PROXY: /),
    ]);
  });
});
