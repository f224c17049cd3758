import { AuditEventSchema, loadSchemaFile, type SubgraphDefinition } from '@pgamr/kit';
import { AccessRequestSchema, AccessRightSchema } from './access/access.entity';
import { registerDecisionPoint } from './access/decision-point';
import type { ServicesClients } from './context';
import { createServicesLoaders, type ServicesLoaders } from './loaders';
import { migrations } from './migrations';
import { registerCatalogRegistrations } from './online-service/catalog-registration';
import { OnlineServiceSchema } from './online-service/online-service.entity';
import { resolvers } from './resolvers';
import { seedServicesDemoData } from './seed/demo-data';
import { seedCatalog } from './seed/reference-data';

/** The services subgraph: the catalog of online services, access rights and requests, PERFORM roles. */
export const servicesSubgraph: SubgraphDefinition<ServicesLoaders, undefined, ServicesClients> = {
  name: 'services',
  typeDefs: loadSchemaFile(__dirname),
  resolvers,
  clients: ['directory', 'mandates'],
  entities: [OnlineServiceSchema, AccessRightSchema, AccessRequestSchema, AuditEventSchema],
  // Issue 19: requests filed and decided, rights granted and revoked (access/access.events.ts).
  events: true,
  migrations,
  createLoaders: createServicesLoaders,
  seedReferenceData: seedCatalog,
  seedDemoData: seedServicesDemoData,
  async setup({ orm }) {
    return {
      services: undefined,
      registerRoutes(app, helpers) {
        registerDecisionPoint(app, orm, helpers.verifyRequest, helpers.clock);
        registerCatalogRegistrations(app, orm, helpers);
      },
    };
  },
};
