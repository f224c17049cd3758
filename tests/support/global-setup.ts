// Jest's global setup (subgraph and end-to-end projects): each subgraph's database migrated and
// seeded once per run, copied for every test file (subgraphs/kit/src/testing/templates.ts).
import { prepareTestTemplates } from '@pgamr/kit/testing';
import { identitySubgraph } from '@pgamr/identity';
import { mandatesSubgraph } from '@pgamr/mandates';
import { notificationsSubgraph } from '@pgamr/notifications';
import { roadAidSubgraph } from '@pgamr/road-aid';
import { servicesSubgraph } from '@pgamr/services';
import { setTeardown, teardownIsSet } from './global-state';

export default async function globalSetup(): Promise<void> {
  // Both projects name this module; Jest runs it once per project, in the same process.
  if (teardownIsSet()) return;
  const started = Date.now();
  const where = process.env.TEST_DATABASE_URL ? 'TEST_DATABASE_URL' : 'embedded PostgreSQL';
  setTeardown(await prepareTestTemplates([identitySubgraph, servicesSubgraph, mandatesSubgraph, roadAidSubgraph, notificationsSubgraph]));
  process.stdout.write(`\ntest databases: each subgraph's migrated and seeded once (${where}) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
