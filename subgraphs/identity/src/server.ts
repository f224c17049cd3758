import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SubgraphDefinition } from '@pgamr/kit';
import { parse } from 'graphql';
import { createIdentityLoaders, type IdentityLoaders } from './loaders';
import { migrations } from './migrations';
import { OrganizationSchema } from './organization/organization.entity';
import { resolvers } from './resolvers';
import { seedIdentityDemoData } from './seed/demo-data';
import { UserSchema } from './user/user.entity';

/** The identity subgraph: organizations, users and their clicSÉQUR codes, the Répertoire. */
export const identitySubgraph: SubgraphDefinition<IdentityLoaders> = {
  name: 'identity',
  typeDefs: parse(readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8')),
  resolvers,
  entities: [OrganizationSchema, UserSchema],
  migrations,
  createLoaders: createIdentityLoaders,
  seedDemoData: seedIdentityDemoData,
};
