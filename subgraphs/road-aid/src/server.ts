import { loadCatalogDeclaration, loadSchemaFile, type SubgraphDefinition } from '@pgamr/kit';
import { RoadAidApplicationSchema } from './road-aid-application/road-aid-application.entity';
import { createRoadAidLoaders, type RoadAidLoaders } from './loaders';
import { migrations } from './migrations';
import { resolvers } from './resolvers';

/** The road-aid subgraph: the PAVL online service's records. */
export const roadAidSubgraph: SubgraphDefinition<RoadAidLoaders> = {
  name: 'road-aid',
  typeDefs: loadSchemaFile(__dirname),
  // R23: its online service, owning direction and demo rights, registered with services at start-up.
  catalog: loadCatalogDeclaration(__dirname),
  resolvers,
  entities: [RoadAidApplicationSchema],
  migrations,
  createLoaders: createRoadAidLoaders,
};
