import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readinessUrl, subgraphsOf } from './subgraph-readiness';

describe('subgraph readiness', () => {
  it('finds the readiness endpoint beside /graphql', () => {
    expect(readinessUrl('http://127.0.0.1:4001/graphql')).toBe('http://127.0.0.1:4001/ready');
    expect(readinessUrl('https://identity.internal/api/graphql')).toBe('https://identity.internal/api/ready');
  });

  it('lists the subgraphs of the committed supergraph', () => {
    const sdl = readFileSync(path.resolve(__dirname, '..', '..', '..', 'supergraph.graphql'), 'utf8');
    expect(subgraphsOf(sdl).map((subgraph) => subgraph.name).sort()).toEqual(['identity', 'mandates', 'road-aid', 'services']);
  });
});
