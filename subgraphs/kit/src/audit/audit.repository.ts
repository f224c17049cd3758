import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { badUserInput } from '../errors';
import { findFirstPerParent, findPage, type Page, type PageRequest } from '../pagination';
import { isUuid, pageLoader, type PageLoader } from '../loaders';
import { AuditEvent } from './audit-event.entity';

const MAX_PAGE = 200;
const NEWEST_FIRST = { occurredAt: 'desc', id: 'desc' } as const;

/** One page of an audit trail and where the next one starts. */
export interface AuditTrailPage {
  events: AuditEvent[];
  nextCursor: string | null;
}

/** Opaque keyset cursor: the (occurredAt, id) of the last entry of a page. */
const encodeCursor = (event: AuditEvent) => Buffer.from(`${event.occurredAt.toISOString()}|${event.id}`).toString('base64url');

function decodeCursor(cursor: string): { occurredAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const occurredAt = new Date(at ?? '');
  if (!id || Number.isNaN(occurredAt.getTime())) throw badUserInput('Le curseur de pagination est invalide.', { field: 'after' });
  return { occurredAt, id };
}

/** The size and position of a page asked for, checked before any query. */
function checkTrailRequest(first: number, after?: string | null): { occurredAt: Date; id: string } | undefined {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
    throw badUserInput(`Le nombre d'entrées demandé doit être entre 1 et ${MAX_PAGE}.`, { field: 'first' });
  }
  return after ? decodeCursor(after) : undefined;
}

const olderThan = (cursor?: { occurredAt: Date; id: string }) =>
  cursor ? { $or: [{ occurredAt: { $lt: cursor.occurredAt } }, { occurredAt: cursor.occurredAt, id: { $lt: cursor.id } }] } : {};

/** A page from its entries fetched one past its size. */
function toPage(events: AuditEvent[], first: number): AuditTrailPage {
  const page = events.slice(0, first);
  return { events: page, nextCursor: events.length > first ? encodeCursor(page[page.length - 1]!) : null };
}

/** One page of an audit trail (an organization's, or a service's), newest first. */
export async function findAuditTrail(
  em: EntityManager,
  scope: { organizationId: string } | { serviceId: string; organizationId?: string },
  first: number,
  after?: string | null,
): Promise<AuditTrailPage> {
  const cursor = checkTrailRequest(first, after);
  const events = await em.find(AuditEvent, { ...scope, ...olderThan(cursor) }, { orderBy: NEWEST_FIRST, limit: first + 1 });
  return toPage(events, first);
}

/** Which trail page: an organization's entries in one service. */
export interface ServiceTrailKey {
  organizationId: string;
  serviceId: string;
  first: number;
  after?: string | null;
}

/**
 * A per-request loader of organizations' audit trails in a service: the pages asked for in the
 * same tick (a batch of `_entities`) come from one statement per distinct service and page
 * request, not one per organization.
 */
export function serviceTrailLoader(em: EntityManager): { load(key: ServiceTrailKey): Promise<AuditTrailPage> } {
  const groupOf = (key: ServiceTrailKey) => JSON.stringify([key.serviceId, key.first, key.after ?? null]);
  const loader = new DataLoader<ServiceTrailKey, AuditTrailPage, string>(
    async (keys) => {
      const groups = new Map<string, { key: ServiceTrailKey; organizationIds: Set<string> }>();
      for (const key of keys) {
        const group = groups.get(groupOf(key)) ?? { key, organizationIds: new Set<string>() };
        group.organizationIds.add(key.organizationId);
        groups.set(groupOf(key), group);
      }
      const pages = new Map<string, Map<string, AuditEvent[]>>();
      for (const [name, { key, organizationIds }] of groups) {
        const where = { serviceId: key.serviceId, ...olderThan(checkTrailRequest(key.first, key.after)) };
        pages.set(name, await findFirstPerParent(em, AuditEvent, 'organizationId', [...organizationIds], where, NEWEST_FIRST, key.first + 1));
      }
      return keys.map((key) => toPage(pages.get(groupOf(key))?.get(key.organizationId) ?? [], key.first));
    },
    { cacheKeyFn: (key) => JSON.stringify([key.organizationId, groupOf(key)]) },
  );
  return {
    load(key) {
      checkTrailRequest(key.first, key.after);
      return isUuid(key.organizationId) && isUuid(key.serviceId) ? loader.load(key) : Promise.resolve({ events: [], nextCursor: null });
    },
  };
}

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
