import { hasRole, IdentityRole, WORKING_ROLES, type RightSet, type Viewer } from '@pgamr/kit';
import type { SqlCondition } from './notification/notification.repository';

// Every access decision of the notifications subgraph, named after its rule; the repository and
// the resolvers only call them. docs/rules.md lists them by rule.

/**
 * R2, R8, R10, R13, R15, R17, R18, R20: the notifications a reader sees, as one SQL condition
 * decided NOW from their token and the services decision point's answer (`rights`), never from
 * who they were when the event was written: one of the notification's audiences includes them.
 * - USERS: they are named (a requester, a right's holder, a local manager and the deputies in
 *   their period when the request was filed, R8, R10; a mandataire, R15);
 * - FIRM_RSE: they are an RSÉ (R2) of that firm (R15);
 * - OWNER_STAFF: they are staff of the direction that owns the service (R8: a first request);
 * - SERVICE_USERS: they work in the service for that organization now (R14, R17); a revoked right
 *   hides it on the next request (R20);
 * - SERVICE_ROLES: they hold one of those roles on the service for that organization now (R13, R18);
 * - SERVICE_ROLES_EXCEPT: they hold one of those roles on the service now for an organization not
 *   in its except list (R13, R18: a body that had not opened its PERFORM report); the list is the
 *   producer's, fixed when it raised the event, the roles are judged now: a revoked one hides it (R20).
 */
export function visibleNotificationCondition(viewer: Viewer, rights: RightSet): SqlCondition {
  const branches: string[] = [`(a."kind" = 'USERS' and a."user_ids" @> array[?::uuid])`];
  const params: unknown[] = [viewer.userId];
  if (hasRole(viewer, IdentityRole.Rse)) {
    branches.push(`(a."kind" = 'FIRM_RSE' and a."firm_organization_id" = ?)`);
    params.push(viewer.organizationId);
  }
  if (rights.administeredServiceIds.length > 0) {
    branches.push(`(a."kind" = 'OWNER_STAFF' and a."service_id" in (select value::uuid from jsonb_array_elements_text(?::jsonb)))`);
    params.push(JSON.stringify(rights.administeredServiceIds));
  }
  // R14, R17: « the organization's users with a right on the service » work in it; a local
  // manager alone does not, so a dossier's new status is not theirs.
  const working = rights.rights.filter((right) => WORKING_ROLES.some((role) => role === right.role));
  if (working.length > 0) {
    branches.push(
      `(a."kind" = 'SERVICE_USERS' and (a."service_id", a."organization_id") in (select r.s, r.o from jsonb_to_recordset(?::jsonb) as r(s uuid, o uuid)))`,
    );
    params.push(JSON.stringify(working.map((right) => ({ s: right.serviceId, o: right.organizationId }))));
  }
  if (rights.rights.length > 0) {
    const held = JSON.stringify(rights.rights.map((right) => ({ s: right.serviceId, o: right.organizationId, role: right.role })));
    branches.push(
      `(a."kind" = 'SERVICE_ROLES' and exists (select 1 from jsonb_to_recordset(?::jsonb) as r(s uuid, o uuid, role text) where r.s = a."service_id" and r.o = a."organization_id" and r.role = any(a."roles")))`,
    );
    params.push(held);
    // R13, R18: whichever organization the role is held for, as long as it is not excepted.
    branches.push(
      `(a."kind" = 'SERVICE_ROLES_EXCEPT' and exists (select 1 from jsonb_to_recordset(?::jsonb) as r(s uuid, o uuid, role text) where r.s = a."service_id" and r.role = any(a."roles") and not (r.o = any(coalesce(a."except_organization_ids", '{}'::uuid[])))))`,
    );
    params.push(held);
  }
  return {
    sql: `n."id" in (select a."notification_id" from "notification_audience" a where ${branches.join(' or ')})`,
    params,
  };
}
