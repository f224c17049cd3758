import { loadSchemaFile, type SubgraphDefinition } from '@pgamr/kit';
import { createServicesLoaders, type ServicesLoaders } from './loaders';
import { migrations } from './migrations';
import { OnlineServiceSchema } from './online-service/online-service.entity';
import { resolvers } from './resolvers';
import { seedServicesDemoData } from './seed/demo-data';

/** The services subgraph: the catalog of online services and, later, access rights. */
export const servicesSubgraph: SubgraphDefinition<ServicesLoaders> = {
  name: 'services',
  typeDefs: loadSchemaFile(__dirname),
  resolvers,
  entities: [OnlineServiceSchema],
  migrations,
  createLoaders: createServicesLoaders,
  seedDemoData: seedServicesDemoData,
};
