import type { EntityManager } from '@mikro-orm/postgresql';
import { findPage, type Page, type PageRequest } from '../pagination';
import { pageLoader, type PageLoader } from '../loaders';
import { AuditEvent } from './audit-event.entity';

const NEWEST_FIRST = { occurredAt: 'desc', id: 'desc' } as const;

/** One page of an audit trail (an organization's, or a service's), newest first: the API's connection. */
export function findAuditConnection(
  em: EntityManager,
  scope: { organizationId: string } | { serviceId: string; organizationId?: string },
  page: PageRequest,
): Promise<Page<AuditEvent>> {
  return findPage(em, AuditEvent, scope, NEWEST_FIRST, page);
}

/**
 * A per-request loader of organizations' audit trails, newest first (narrowed by `where`, e.g. a
 * service): the pages asked for in the same tick come from one statement, not one per organization.
 */
export const auditTrailsByOrganization = (em: EntityManager): PageLoader<AuditEvent> => pageLoader(em, AuditEvent, 'organizationId', NEWEST_FIRST);
