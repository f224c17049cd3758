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
});
