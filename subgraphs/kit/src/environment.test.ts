import { subgraphVariables } from './environment';

describe('subgraphVariables', () => {
  it('names every variable of a subgraph after its name, a dash becoming an underscore', () => {
    expect(subgraphVariables('road-aid')).toEqual({
      key: 'ROAD_AID',
      port: 'ROAD_AID_PORT',
      databaseUrl: 'ROAD_AID_DATABASE_URL',
      subgraphUrl: 'ROAD_AID_SUBGRAPH_URL',
      subgraphHealthUrl: 'ROAD_AID_SUBGRAPH_HEALTH_URL',
      subgraphTimeoutMs: 'ROAD_AID_SUBGRAPH_TIMEOUT_MS',
    });
  });
});
