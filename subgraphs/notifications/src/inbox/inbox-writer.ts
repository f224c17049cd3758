import type { EntityManager } from '@mikro-orm/postgresql';
import { stableId, Subjects, type BusMessage, type DomainEvent, type NotificationDelivered } from '@pgamr/kit';
import { NotificationAudience, Notification } from '../notification/notification.entity';

/** Puts a message in the subgraph's outbox in the caller's transaction (the kit's recordOutbox). */
export type RecordOutbox = (em: EntityManager, message: BusMessage) => void;

/**
 * Keeps one domain event in the inbox: the notification, its audiences and the delivery the
 * gateways stream (NotificationDelivered on `pgamr.notifications.<type>`, through the outbox),
 * in one transaction: all of it or nothing. Idempotent: the notification's id is the event's,
 * so an event delivered again (at least once) writes nothing and raises no second delivery.
 * Resolves true when it wrote the notification, false when it was already there.
 */
export async function writeInbox(em: EntityManager, event: DomainEvent, recordOutbox: RecordOutbox): Promise<boolean> {
  return em.fork().transactional(async (tx) => {
    const inserted = await tx.execute<Array<{ id: string }>>(
      `insert into "notification" ("id", "type", "occurred_at", "organization_id", "service_id", "subject_typename", "subject_id", "data", "created_at")
       values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, now()) on conflict ("id") do nothing returning "id"`,
      [event.id, event.type, event.occurredAt, event.organizationId, event.serviceId, event.subject?.typename ?? null, event.subject?.id ?? null, JSON.stringify(event.data)],
    );
    if (inserted.length === 0) return false;
    const notification = tx.getReference(Notification, event.id);
    event.audiences.forEach((audience, ordinal) => {
      tx.create(NotificationAudience, {
        notification,
        ordinal,
        kind: audience.kind,
        userIds: audience.kind === 'USERS' ? audience.userIds : null,
        firmOrganizationId: audience.kind === 'FIRM_RSE' ? audience.firmOrganizationId : null,
        organizationId: audience.kind === 'SERVICE_USERS' || audience.kind === 'SERVICE_ROLES' ? audience.organizationId : null,
        serviceId: audience.kind === 'USERS' || audience.kind === 'FIRM_RSE' ? null : audience.serviceId,
        roles: audience.kind === 'SERVICE_ROLES' || audience.kind === 'SERVICE_ROLES_EXCEPT' ? audience.roles : null,
        exceptOrganizationIds: audience.kind === 'SERVICE_ROLES_EXCEPT' ? audience.exceptOrganizationIds : null,
      });
    });
    const delivered: NotificationDelivered = {
      notificationId: event.id,
      eventId: event.id,
      type: event.type,
      organizationId: event.organizationId,
      serviceId: event.serviceId,
      audiences: event.audiences,
    };
    // Its own id: a bus that keeps one message per id (the PostgreSQL bus) must not take the
    // delivery for the event it comes from.
    recordOutbox(tx, { subject: Subjects.notification(event.type), id: stableId('notification-delivered', event.id), payload: delivered });
    return true;
  });
}
