import { hasRole, IdentityRole, type Viewer } from '@pgamr/kit';
import type { Dossier } from './dossier.entity';

// R17, R20: an organization's dossiers are read by its own users and by ministry staff.
// Mandataires' record-level access (R15) extends this rule with the mandates.

export const canReadOrganizationDossiers = (viewer: Viewer, organizationId: string): boolean =>
  viewer.organizationId === organizationId || hasRole(viewer, IdentityRole.MinistryStaff);

export const canReadDossier = (viewer: Viewer, dossier: Dossier): boolean =>
  canReadOrganizationDossiers(viewer, dossier.organizationId);
