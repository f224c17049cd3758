import { hasRole, IdentityRole, type RightSet, type Viewer } from '@pgamr/kit';
import type { Dossier } from './dossier.entity';

/** R14: working in a program's dossiers takes the USER role on its service; managing access alone does not. */
const DOSSIER_ROLES = ['USER'] as const;

// R17, R20: an organization's dossiers are read by its users holding a right on the dossier's
// service now (asked of the services subgraph's decision point), and by ministry staff.
// Mandataires' record-level access (R15) extends this rule with the mandates.

const isStaff = (viewer: Viewer) => hasRole(viewer, IdentityRole.MinistryStaff);

export const canReadDossier = (viewer: Viewer, rights: RightSet, dossier: Dossier): boolean =>
  isStaff(viewer) ||
  (viewer.organizationId === dossier.organizationId && rights.has(dossier.serviceId, dossier.organizationId, DOSSIER_ROLES));

/** Which of an organization's dossiers the caller may list: all, those of some services, or none. */
export function readableServicesOf(viewer: Viewer, rights: RightSet, organizationId: string): 'all' | Set<string> | 'none' {
  if (isStaff(viewer)) return 'all';
  if (viewer.organizationId !== organizationId) return 'none';
  return rights.servicesFor(organizationId, DOSSIER_ROLES);
}
