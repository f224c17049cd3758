import { loadSchemaFile, type SubgraphDefinition } from '@pgamr/kit';
import { DossierSchema } from './dossier/dossier.entity';
import { createMandatesLoaders, type MandatesLoaders } from './loaders';
import { migrations } from './migrations';
import { resolvers } from './resolvers';
import { seedMandatesDemoData } from './seed/demo-data';

/** The mandates subgraph: dossiers, mandates to outside firms and, later, PERFORM reports. */
export const mandatesSubgraph: SubgraphDefinition<MandatesLoaders> = {
  name: 'mandates',
  typeDefs: loadSchemaFile(__dirname),
  resolvers,
  entities: [DossierSchema],
  migrations,
  createLoaders: createMandatesLoaders,
  seedDemoData: seedMandatesDemoData,
};
