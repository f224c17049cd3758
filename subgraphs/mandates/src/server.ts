import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SubgraphDefinition } from '@pgamr/kit';
import { parse } from 'graphql';
import { DossierSchema } from './dossier/dossier.entity';
import { createMandatesLoaders, type MandatesLoaders } from './loaders';
import { migrations } from './migrations';
import { resolvers } from './resolvers';
import { seedMandatesDemoData } from './seed/demo-data';

/** The mandates subgraph: dossiers, mandates to outside firms and, later, PERFORM reports. */
export const mandatesSubgraph: SubgraphDefinition<MandatesLoaders> = {
  name: 'mandates',
  typeDefs: parse(readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8')),
  resolvers,
  entities: [DossierSchema],
  migrations,
  createLoaders: createMandatesLoaders,
  seedDemoData: seedMandatesDemoData,
};
