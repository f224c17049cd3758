import { forbidden, ServiceRole, stableId, type RightSet, type Viewer } from '@pgamr/kit';
import { RoadAidServiceCode } from './vocabulary';

// Every access decision of the road-aid subgraph, named after its rule; resolvers only call them.
// docs/rules.md lists them by rule.

/** R23: the catalog entry this subgraph serves, declared in its catalog.json and registered with the services subgraph. */
export const SERVICE_ID = stableId('online-service', RoadAidServiceCode.Pavl);
const WORKING_ROLES = [ServiceRole.User];

/**
 * R14, R20: working in the service for an organization takes being one of its users and holding
 * a right on the service there now, as the services subgraph's decision point answers.
 */
export const mayWorkFor = (viewer: Viewer, rights: RightSet, organizationId: string): boolean =>
  viewer.organizationId === organizationId && rights.has(SERVICE_ID, organizationId, WORKING_ROLES);

/** R14, R20: an application is read by whoever works in the service for its organization; to anyone else it does not exist. */
export const mayReadApplication = (viewer: Viewer, rights: RightSet, application: { organizationId: string }): boolean =>
  mayWorkFor(viewer, rights, application.organizationId);

/** R14, R20: an organization's applications are listed by whoever works in the service for it. */
export function ensureMayListApplications(viewer: Viewer, rights: RightSet, organizationId: string): void {
  if (!mayWorkFor(viewer, rights, organizationId)) {
    throw forbidden("Seuls les utilisateurs de l'organisation qui détiennent un droit sur ce service voient ses demandes.");
  }
}

/** R14: an application is filed for an organization by whoever works in the service for it. */
export function ensureMayFileApplication(viewer: Viewer, rights: RightSet, organizationId: string): void {
  if (!mayWorkFor(viewer, rights, organizationId)) {
    throw forbidden('Il faut un droit d’accès sur le PAVL dans votre organisation pour y déposer une demande.');
  }
}
