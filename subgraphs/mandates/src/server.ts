import { AuditEventSchema, loadSchemaFile, type SubgraphDefinition } from '@pgamr/kit';
import { DisclosureEventSchema } from './disclosure/disclosure-event.entity';
import { DossierSchema, DossierStatusChangeSchema } from './dossier/dossier.entity';
import { registerMandatesDecisionPoint } from './mandate/decision-point';
import { MandateDossierSchema, MandateSchema } from './mandate/mandate.entity';
import { FinancialReportSchema, FinancialReportVersionSchema } from './report/financial-report.entity';
import { ReportDeadlineNoticeSchema, reportDeadlinesJob } from './report/report-deadlines';
import type { MandatesClients } from './context';
import { createMandatesLoaders, type MandatesLoaders } from './loaders';
import { migrations } from './migrations';
import { resolvers } from './resolvers';
import { seedMandatesDemoData } from './seed/demo-data';

/** The mandates subgraph: dossiers, mandates to outside firms, PERFORM financial reports. */
export const mandatesSubgraph: SubgraphDefinition<MandatesLoaders, undefined, MandatesClients> = {
  name: 'mandates',
  typeDefs: loadSchemaFile(__dirname),
  resolvers,
  clients: ['directory'],
  // Issue 19: dossiers' statuses and mandates are what users wait on.
  events: true,
  entities: [DossierSchema, DossierStatusChangeSchema, MandateSchema, MandateDossierSchema, DisclosureEventSchema, AuditEventSchema, FinancialReportSchema, FinancialReportVersionSchema, ReportDeadlineNoticeSchema],
  migrations,
  createLoaders: createMandatesLoaders,
  seedDemoData: seedMandatesDemoData,
  async setup({ orm }) {
    return {
      services: undefined,
      registerRoutes: (app, { verifyAuthorization, clock }) => registerMandatesDecisionPoint(app, orm, verifyAuthorization, clock),
      jobs: [reportDeadlinesJob(orm)],
    };
  },
};
