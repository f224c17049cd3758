import { randomUUID } from 'node:crypto';
import { recordEvent, type Audience, type EventSubject, type EventType } from '@pgamr/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccessRight } from './access.entity';

/** The subgraph that raises these events: their subjects are `pgamr.events.services.<type>`. */
const SOURCE = 'services';

/**
 * Raises an event of the services subgraph (issue 19) in the caller's transaction, beside the
 * change and its audit entry: it exists, and will be published, if and only if they commit.
 * Audiences with nobody in them are left out.
 */
export function raiseAccessEvent(
  em: EntityManager,
  event: {
    type: EventType;
    subject: EventSubject;
    organizationId: string;
    serviceId: string;
    audiences: Audience[];
    data?: Record<string, string | number | boolean | null>;
  },
  now: Date,
): void {
  recordEvent(em, {
    id: randomUUID(),
    type: event.type,
    source: SOURCE,
    occurredAt: now.toISOString(),
    organizationId: event.organizationId,
    serviceId: event.serviceId,
    subject: event.subject,
    audiences: event.audiences.filter((audience) => audience.kind !== 'USERS' || audience.userIds.length > 0),
    data: event.data ?? {},
  });
}

/** USERS: these users, by id. */
export const users = (...userIds: string[]): Audience => ({ kind: 'USERS', userIds: [...new Set(userIds)] });

/** A right granted or revoked, told to its holder (issue 19). */
export function raiseRightEvent(
  em: EntityManager,
  type: typeof EventType.AccessRightGranted | typeof EventType.AccessRightRevoked,
  right: AccessRight,
  now: Date,
): void {
  raiseAccessEvent(
    em,
    {
      type,
      subject: { typename: 'AccessRight', id: right.id },
      organizationId: right.organizationId,
      serviceId: right.service.id,
      audiences: [users(right.userId)],
      data: { role: right.role },
    },
    now,
  );
}
