import { ServiceCode, ServiceRole, stableId, type CatalogDemoRight } from '@pgamr/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AccessRight } from '../access/access.entity';

/** A right of the demo data set, by the demo users', organizations' and services' codes. */
export type DemoRight = CatalogDemoRight & { role: ServiceRole };

/**
 * Demo rights: Magog has a local manager for TECQ (Isabelle, RSÉ) and users of its programs;
 * Sherbrooke has none for TECQ, so the first request there goes to the DGI (R8); Isabelle is
 * Magog's répondant municipal for PERFORM, and its PERFORM roles are all given.
 */
export const DEMO_RIGHTS: readonly DemoRight[] = [
  { user: 'MAG0000001', organization: 'MUN-45072', service: ServiceCode.Tecq, role: ServiceRole.LocalManager },
  { user: 'MAG0000001', organization: 'MUN-45072', service: ServiceCode.Tecq, role: ServiceRole.User },
  { user: 'MAG0000001', organization: 'MUN-45072', service: ServiceCode.Primeau, role: ServiceRole.User },
  { user: 'MAG0000001', organization: 'MUN-45072', service: ServiceCode.Prabam, role: ServiceRole.User },
  { user: 'MAG0000001', organization: 'MUN-45072', service: ServiceCode.Perform, role: ServiceRole.MunicipalRespondent },
  { user: 'MAG0000002', organization: 'MUN-45072', service: ServiceCode.Tecq, role: ServiceRole.User },
  { user: 'SHE0000001', organization: 'MUN-43027', service: ServiceCode.Recim, role: ServiceRole.User },
  { user: 'SHE0000001', organization: 'MUN-43027', service: ServiceCode.Recim, role: ServiceRole.LocalManager },
  // R5: Magog's director general keeps its entry of the Répertoire up to date.
  { user: 'MAG0000001', organization: 'MUN-45072', service: ServiceCode.CustomerDataUpdate, role: ServiceRole.User },
  // R13: Magog's PERFORM roles, given by its répondant: Caroline prepares, Luc (treasurer) signs,
  // Isabelle transmits, and Geneviève, of the firme de vérificateur, is the external auditor.
  { user: 'MAG0000004', organization: 'MUN-45072', service: ServiceCode.Perform, role: ServiceRole.PerformPreparer },
  { user: 'MAG0000003', organization: 'MUN-45072', service: ServiceCode.Perform, role: ServiceRole.PerformSignatory },
  { user: 'MAG0000001', organization: 'MUN-45072', service: ServiceCode.Perform, role: ServiceRole.PerformTransmitter },
  { user: 'VCE0000001', organization: 'MUN-45072', service: ServiceCode.Perform, role: ServiceRole.PerformExternalAuditor },
];

const DEMO_GRANTOR = stableId('user', 'MAM0000002');

export async function seedServicesDemoData(em: EntityManager): Promise<void> {
  await ensureDemoRights(em, DEMO_RIGHTS);
}

/**
 * Inserts demonstration rights that are missing, with stable ids from their codes, so that the
 * same right seeded or registered twice (every start) stays one row. Demo data only (R23: never
 * reached in production, see catalog-registration.ts).
 */
export async function ensureDemoRights(em: EntityManager, rights: readonly DemoRight[]): Promise<void> {
  if (rights.length === 0) return;
  await em.upsertMany(
    AccessRight,
    rights.map((right) => ({
      id: stableId('access-right', `${right.user}:${right.organization}:${right.service}:${right.role}`),
      userId: stableId('user', right.user),
      organizationId: stableId('organization', right.organization),
      service: stableId('online-service', right.service),
      role: right.role,
      validFrom: new Date('2024-01-01T00:00:00Z'),
      grantedBy: DEMO_GRANTOR,
      grantedAt: new Date('2024-01-01T00:00:00Z'),
    })),
    { onConflictFields: ['id'], onConflictAction: 'ignore' },
  );
}
