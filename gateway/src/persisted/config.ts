import path from 'node:path';
import { z } from 'zod';

/**
 * `apq`: Automatic Persisted Queries, any operation may be registered by its hash.
 * `trusted`: only the operations of the front end's manifest run.
 * `off`: full query text only.
 */
export type PersistedOperationsMode = 'apq' | 'trusted' | 'off';

export interface PersistedOperationsConfig {
  mode: PersistedOperationsMode;
  /** The manifest of trusted documents, read in `trusted` mode. */
  manifestPath: string;
  /** How long an automatically persisted query stays registered. */
  apqTtlSeconds: number;
}

const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..', '..');
export const DEFAULT_MANIFEST_PATH = path.join(REPOSITORY_ROOT, 'clients', 'portal', 'trusted-documents.json');

const persistedSchema = z.object({
  GATEWAY_PERSISTED_OPERATIONS: z.enum(['apq', 'trusted', 'off']).default('apq'),
  GATEWAY_TRUSTED_DOCUMENTS_PATH: z.string().min(1).default(DEFAULT_MANIFEST_PATH),
  GATEWAY_APQ_TTL_SECONDS: z.coerce.number().int().min(1).default(86_400),
});

/**
 * Persisted operations, from the environment. APQ by default in every profile: the portal is
 * not the only client (other ministries' front ends join the supergraph, R23), so safelisting
 * is the operator's choice once every client ships a manifest.
 */
export function readPersistedOperations(env: NodeJS.ProcessEnv, issues: string[]): PersistedOperationsConfig {
  const parsed = persistedSchema.safeParse(env);
  if (!parsed.success) {
    issues.push(...parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`));
    return readPersistedOperations({}, []);
  }
  return {
    mode: parsed.data.GATEWAY_PERSISTED_OPERATIONS,
    manifestPath: path.resolve(parsed.data.GATEWAY_TRUSTED_DOCUMENTS_PATH),
    apqTtlSeconds: parsed.data.GATEWAY_APQ_TTL_SECONDS,
  };
}
