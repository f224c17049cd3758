// Jest's global setup (subgraph and end-to-end projects): each subgraph's database migrated and
// seeded once per run, copied for every test file (subgraphs/kit/src/testing/templates.ts).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { prepareTestTemplates } from '@pgamr/kit/testing';
import { identitySubgraph } from '@pgamr/identity';
import { mandatesSubgraph } from '@pgamr/mandates';
import { notificationsSubgraph } from '@pgamr/notifications';
import { roadAidSubgraph } from '@pgamr/road-aid';
import { servicesSubgraph } from '@pgamr/services';
import { setTeardown, teardownIsSet } from './global-state';

const REPOSITORY = path.resolve(__dirname, '..', '..');

export default async function globalSetup(): Promise<void> {
  // Both projects name this module; Jest runs it once per project, in the same process.
  if (teardownIsSet()) return;
  const started = Date.now();
  const where = process.env.TEST_DATABASE_URL ? 'TEST_DATABASE_URL' : 'embedded PostgreSQL';
  setTeardown(await prepareTestTemplates([identitySubgraph, servicesSubgraph, mandatesSubgraph, roadAidSubgraph, notificationsSubgraph]));
  process.stdout.write(`\ntest databases: each subgraph's migrated and seeded once (${where}) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  // The services' bundles, which the tests that start processes run (support/bundled.ts), as npm start does.
  execFileSync(process.execPath, [path.join(REPOSITORY, 'scripts', 'build.mjs'), '--if-stale'], { cwd: REPOSITORY, stdio: 'ignore' });
}
