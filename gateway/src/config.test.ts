import { availableParallelism } from 'node:os';
import path from 'node:path';
import { readGatewayConfig, subgraphUrl } from './config';

describe('readGatewayConfig', () => {
  it('serves the committed supergraph on loopback:4000 by default, with usage reporting off', () => {
    const config = readGatewayConfig({});
    expect(config).toMatchObject({ host: '127.0.0.1', port: 4000, production: false, usageReporting: false, subgraphUrls: {} });
    expect(config.supergraphPath).toBe(path.resolve(__dirname, '..', '..', 'supergraph.graphql'));
  });

  it('overrides a subgraph URL with <NAME>_SUBGRAPH_URL, for names with dashes too', () => {
    const config = readGatewayConfig({ IDENTITY_SUBGRAPH_URL: 'http://identity:8080/graphql', ROAD_AID_SUBGRAPH_URL: 'http://road:8080/graphql' });
    expect(subgraphUrl(config, 'identity', 'http://127.0.0.1:4001/graphql')).toBe('http://identity:8080/graphql');
    expect(subgraphUrl(config, 'road-aid', 'http://127.0.0.1:4009/graphql')).toBe('http://road:8080/graphql');
    expect(subgraphUrl(config, 'services', 'http://127.0.0.1:4002/graphql')).toBe('http://127.0.0.1:4002/graphql');
  });

  it('fails fast on bad values', () => {
    expect(() => readGatewayConfig({ GATEWAY_PORT: '-1' })).toThrow(/GATEWAY_PORT/);
    expect(() => readGatewayConfig({ SERVICES_SUBGRAPH_URL: 'ftp://x' })).toThrow(/SERVICES_SUBGRAPH_URL/);
    expect(() => readGatewayConfig({ APOLLO_USAGE_REPORTING: 'true' })).toThrow(/APOLLO_KEY/);
  });

  it('runs one process by default, a number of workers, or one per CPU with GATEWAY_WORKERS=auto', () => {
    expect(readGatewayConfig({}).workers).toBe(1);
    expect(readGatewayConfig({ GATEWAY_WORKERS: '3' }).workers).toBe(3);
    expect(readGatewayConfig({ GATEWAY_WORKERS: 'auto' }).workers).toBe(availableParallelism());
    for (const value of ['0', '-2', 'deux', '1.5', '1000']) {
      expect(() => readGatewayConfig({ GATEWAY_WORKERS: value })).toThrow(/GATEWAY_WORKERS: un nombre de processus/);
    }
  });

  it('refuses several workers in production without REDIS_URL: each would count rate limits on its own', () => {
    for (const value of ['2', 'auto']) {
      expect(() => readGatewayConfig({ NODE_ENV: 'production', GATEWAY_WORKERS: value })).toThrow(`GATEWAY_WORKERS=${value} exige REDIS_URL en production`);
    }
    expect(readGatewayConfig({ NODE_ENV: 'production', GATEWAY_WORKERS: '2', REDIS_URL: 'redis://redis:6379' }).workers).toBe(2);
    expect(readGatewayConfig({ NODE_ENV: 'production', GATEWAY_WORKERS: '1' }).workers).toBe(1);
    // Development warns at start instead (see index.ts): one process per CPU without Redis is fine on a laptop.
    expect(readGatewayConfig({ GATEWAY_WORKERS: '2' }).workers).toBe(2);
  });
});
