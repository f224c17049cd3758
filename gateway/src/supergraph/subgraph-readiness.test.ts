import { readFileSync } from 'node:fs';
import path from 'node:path';
import { subgraphsOf } from './subgraph-readiness';

describe('subgraph readiness', () => {
  it('lists the subgraphs of the committed supergraph', () => {
    const sdl = readFileSync(path.resolve(__dirname, '..', '..', '..', 'supergraph.graphql'), 'utf8');
    expect(subgraphsOf(sdl).map((subgraph) => subgraph.name).sort()).toEqual(['identity', 'mandates', 'notifications', 'road-aid', 'services']);
  });
});
