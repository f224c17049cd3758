import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SubgraphDefinition } from '@pgamr/kit';
import { parse } from 'graphql';
import { createServicesLoaders, type ServicesLoaders } from './loaders';
import { migrations } from './migrations';
import { OnlineServiceSchema } from './online-service/online-service.entity';
import { resolvers } from './resolvers';
import { seedServicesDemoData } from './seed/demo-data';

/** The services subgraph: the catalog of online services and, later, access rights. */
export const servicesSubgraph: SubgraphDefinition<ServicesLoaders> = {
  name: 'services',
  typeDefs: parse(readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8')),
  resolvers,
  entities: [OnlineServiceSchema],
  migrations,
  createLoaders: createServicesLoaders,
  seedDemoData: seedServicesDemoData,
};
