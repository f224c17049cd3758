import { loadSchemaFile, type SubgraphDefinition } from '@pgamr/kit';
import { createIdentityLoaders, type IdentityLoaders } from './loaders';
import { migrations } from './migrations';
import { OrganizationSchema } from './organization/organization.entity';
import { resolvers } from './resolvers';
import { seedIdentityDemoData } from './seed/demo-data';
import { UserSchema } from './user/user.entity';

/** The identity subgraph: organizations, users and their clicSÉQUR codes, the Répertoire. */
export const identitySubgraph: SubgraphDefinition<IdentityLoaders> = {
  name: 'identity',
  typeDefs: loadSchemaFile(__dirname),
  resolvers,
  entities: [OrganizationSchema, UserSchema],
  migrations,
  createLoaders: createIdentityLoaders,
  seedDemoData: seedIdentityDemoData,
};
