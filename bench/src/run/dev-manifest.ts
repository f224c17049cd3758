// A small manifest over databases filled with the demo data only, to develop and check the
// bench without `npm run bench:data`: `tsx bench/src/run/dev-manifest.ts`, then
// `npm run bench -- --manifest bench/.data/dev-manifest.json --duration 2 --runs 1`.
// Few users: tokens repeat within a run and the rate limit is raised accordingly (see cli).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stableId } from '@pgamr/kit';
import { databaseUrl, ensureDatabase, withDatabase } from './databases';
import { prepareEventBus } from './event-bus';
import type { BenchManifest, Viewer } from './manifest';
import { ProcessGroup, REPOSITORY_ROOT } from './processes';
import { startSubgraphs } from './stack';

const DATABASES = {
  identity: 'pgamr_benchdev_identity',
  services: 'pgamr_benchdev_services',
  mandates: 'pgamr_benchdev_mandates',
  roadAid: 'pgamr_benchdev_road_aid',
};
const MAGOG = 'MUN-45072';
const SHERBROOKE = 'MUN-43027';
const GCE = 'FIRM-GCE';
/** Users of Magog without a TECQ right: Isabelle, Magog's TECQ local manager, grants them one each. */
const GRANT_TARGETS = 20_000;

const viewer = (code: string, organizationKey: string, roles: string[] = []): Viewer => ({
  userId: stableId('user', code),
  organizationId: stableId('organization', organizationKey),
  roles,
});

async function main(): Promise<void> {
  for (const name of Object.values(DATABASES)) await ensureDatabase(name);
  const urls = {
    identity: databaseUrl(DATABASES.identity),
    services: databaseUrl(DATABASES.services),
    mandates: databaseUrl(DATABASES.mandates),
    roadAid: databaseUrl(DATABASES.roadAid),
  };
  const directory = path.join(REPOSITORY_ROOT, 'bench', '.data');
  const group = new ProcessGroup(path.join(directory, 'logs', 'dev-manifest'));
  // The subgraphs that raise events refuse production without a bus.
  const events = await prepareEventBus(DATABASES.identity);
  try {
    // Migrations and the demo data, inserted where missing.
    await startSubgraphs(group, urls, { seedDemoData: true, events });
  } finally {
    await group.stopAll();
    await events.cleanup();
  }

  const isabelle = viewer('MAG0000001', MAGOG, ['RSE']);
  const manifest: BenchManifest = {
    seed: 0,
    scale: 0,
    generatedAt: new Date().toISOString(),
    databases: DATABASES,
    counts: await counts(urls),
    personas: {
      municipalUsers: [isabelle, viewer('MAG0000002', MAGOG), viewer('MAG0000003', MAGOG), viewer('MAG0000004', MAGOG), viewer('SHE0000001', SHERBROOKE, ['RSE'])],
      dashboardUsers: [isabelle, viewer('MAG0000002', MAGOG), viewer('SHE0000001', SHERBROOKE, ['RSE'])],
      mandataires: [viewer('GCE0000001', GCE, ['RSE']), viewer('GCE0000002', GCE)],
      financialSummaryReaders: [isabelle, viewer('MAG0000003', MAGOG), viewer('MAG0000004', MAGOG)],
      // The demo's regional direction of Estrie (Magog, Sherbrooke, MRC de Memphrémagog).
      regionalDirections: [{ ...viewer('MAM0000004', 'MIN-MAMH', ['MINISTRY_STAFF']), direction: 'DR-05' }],
      mandateAnalysts: [isabelle, viewer('GCE0000001', GCE, ['RSE'])],
      accessRequestAnalysts: [isabelle],
      accessGrants: Array.from({ length: GRANT_TARGETS }, (_, index) => ({
        manager: isabelle,
        // Not identity users: services keeps user ids as references, which is all a grant needs.
        targetUserId: stableId('user', `BENCHDEV${String(index).padStart(6, '0')}`),
        serviceId: stableId('online-service', 'TECQ'),
        role: 'USER' as const,
      })),
    },
  };
  mkdirSync(directory, { recursive: true });
  const file = path.join(directory, 'dev-manifest.json');
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

async function counts(urls: Record<keyof typeof DATABASES, string>): Promise<Record<string, number>> {
  const tables: Array<[keyof typeof DATABASES, string]> = [
    ['identity', 'organization'],
    ['identity', 'app_user'],
    ['services', 'access_right'],
    ['mandates', 'dossier'],
    ['mandates', 'mandate'],
    ['mandates', 'financial_report'],
    ['roadAid', 'road_aid_application'],
  ];
  const result: Record<string, number> = {};
  for (const [database, table] of tables) {
    result[table] = await withDatabase(urls[database], async (client) => {
      const { rows } = await client.query<{ count: string }>(`select count(*) from "${table}"`);
      return Number(rows[0]?.count ?? 0);
    });
  }
  return result;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
