import { badUserInput } from '../errors';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEvent } from './audit-event.entity';

const MAX_PAGE = 200;

/** Opaque keyset cursor: the (occurredAt, id) of the last entry of a page. */
const encodeCursor = (event: AuditEvent) => Buffer.from(`${event.occurredAt.toISOString()}|${event.id}`).toString('base64url');

function decodeCursor(cursor: string): { occurredAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const occurredAt = new Date(at ?? '');
  if (!id || Number.isNaN(occurredAt.getTime())) throw badUserInput('Le curseur de pagination est invalide.', { field: 'after' });
  return { occurredAt, id };
}

/** One page of an audit trail (an organization's, or a service's), newest first. */
export async function findAuditTrail(
  em: EntityManager,
  scope: { organizationId: string } | { serviceId: string; organizationId?: string },
  first: number,
  after?: string | null,
): Promise<{ events: AuditEvent[]; nextCursor: string | null }> {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
    throw badUserInput(`Le nombre d'entrées demandé doit être entre 1 et ${MAX_PAGE}.`, { field: 'first' });
  }
  const cursor = after ? decodeCursor(after) : undefined;
  const events = await em.find(
    AuditEvent,
    {
      ...scope,
      ...(cursor
        ? { $or: [{ occurredAt: { $lt: cursor.occurredAt } }, { occurredAt: cursor.occurredAt, id: { $lt: cursor.id } }] }
        : {}),
    },
    { orderBy: { occurredAt: 'desc', id: 'desc' }, limit: first + 1 },
  );
  const page = events.slice(0, first);
  return { events: page, nextCursor: events.length > first ? encodeCursor(page[page.length - 1]!) : null };
}
