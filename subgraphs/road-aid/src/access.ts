import { requireViewer, ServiceRole, stableId } from '@pgamr/kit';
import type { RoadAidContext } from './context';
import { RoadAidServiceCode } from './vocabulary';

/** The catalog entry this subgraph serves: declared in its catalog.json, registered with the services subgraph. */
export const SERVICE_ID = stableId('online-service', RoadAidServiceCode.Pavl);
const WORKING_ROLES = [ServiceRole.User];

/**
 * R14, R20: working in the service takes a user of the organization holding a right on it now,
 * as the services subgraph's decision point answers (asked once per request).
 */
export async function worksFor(context: RoadAidContext, organizationId: string): Promise<boolean> {
  const viewer = requireViewer(context.auth);
  if (viewer.organizationId !== organizationId) return false;
  return (await context.rights()).has(SERVICE_ID, organizationId, WORKING_ROLES);
}
