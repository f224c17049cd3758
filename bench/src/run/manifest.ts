import { readFile } from 'node:fs/promises';

/** A user the bench acts as: what identity would put in their access token. */
export interface Viewer {
  userId: string;
  organizationId: string;
  roles: string[];
  direction?: string;
}

/** One access right a local manager may grant (the mutation scenario), distinct per request. */
export interface AccessGrant {
  manager: Viewer;
  targetUserId: string;
  serviceId: string;
  role: 'USER';
}

/** What `npm run bench:data` writes beside the databases it fills (bench/.data/manifest.json). */
export interface BenchManifest {
  seed: number;
  scale: number;
  generatedAt: string;
  databases: { identity: string; services: string; mandates: string; roadAid: string };
  counts: Record<string, number>;
  /** The generator's digest of every row it loaded: equal for equal seeds and scales of one generator. */
  digest?: string;
  personas: {
    municipalUsers: Viewer[];
    dashboardUsers: Viewer[];
    mandataires: Viewer[];
    financialSummaryReaders: Viewer[];
    accessGrants: AccessGrant[];
    /** Issue 18: a regional direction's staff (`direction` DR-xx), who follow the bodies of their region (R5, R20). */
    regionalDirections: Viewer[];
    /** Issue 18: a firm's RSÉ or a mandating organization's manager, whose mandate figures count some (R15, R16). */
    mandateAnalysts: Viewer[];
    /** Issue 18: an organization's local manager (or deputy) with pending requests on a service they manage (R8, R10). */
    accessRequestAnalysts: Viewer[];
  };
}

export type PersonaKind = Exclude<keyof BenchManifest['personas'], 'accessGrants'>;

/** Every list of personas a manifest must give, none empty. */
export const PERSONA_LISTS = [
  'municipalUsers',
  'dashboardUsers',
  'mandataires',
  'financialSummaryReaders',
  'accessGrants',
  'regionalDirections',
  'mandateAnalysts',
  'accessRequestAnalysts',
] as const satisfies ReadonlyArray<keyof BenchManifest['personas']>;

/** Reads and checks a manifest: the bench refuses to start on a data set it cannot use. */
export async function readManifest(path: string): Promise<BenchManifest> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(
      `cannot read the manifest ${path} (${(error as Error).message}); run \`npm run bench:data\` first, ` +
        'or `tsx bench/src/run/dev-manifest.ts` for a demo-data manifest',
    );
  }
  const manifest = raw as BenchManifest;
  const problems: string[] = [];
  for (const key of ['identity', 'services', 'mandates', 'roadAid'] as const) {
    if (typeof manifest.databases?.[key] !== 'string') problems.push(`databases.${key} missing`);
  }
  const personas = manifest.personas ?? ({} as BenchManifest['personas']);
  for (const key of PERSONA_LISTS) {
    if (!Array.isArray(personas[key]) || personas[key].length === 0) problems.push(`personas.${key} empty or missing`);
  }
  if (problems.length > 0) problems.push('a manifest of an older `npm run bench:data` lacks the lists added since: run it again');
  if (problems.length > 0) throw new Error(`unusable manifest ${path}:\n- ${problems.join('\n- ')}`);
  return manifest;
}

/** Every viewer the manifest names once, by user id (managers of grants included). */
export function allViewers(manifest: BenchManifest): Viewer[] {
  const byId = new Map<string, Viewer>();
  const { accessGrants, ...lists } = manifest.personas;
  for (const list of Object.values(lists)) for (const viewer of list) byId.set(viewer.userId, viewer);
  for (const grant of accessGrants) byId.set(grant.manager.userId, grant.manager);
  return [...byId.values()];
}
