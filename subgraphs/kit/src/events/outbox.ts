import type { EntityManager } from '@mikro-orm/postgresql';
import { Subjects, type BusMessage, type DomainEvent } from './contract';
import { OutboxMessage } from './outbox-message.entity';

/**
 * Puts a message in the outbox in the caller's transaction, like recordAudit: it exists, and will
 * be published, if and only if the change commits. The relay publishes it as it is.
 */
export function recordOutbox(em: EntityManager, message: BusMessage): void {
  em.create(OutboxMessage, { id: message.id, subject: message.subject, payload: message.payload });
}

/** A domain event in the outbox, on `pgamr.events.<source>.<type>`, its id the bus message's. */
export function recordEvent(em: EntityManager, event: DomainEvent): void {
  recordOutbox(em, { subject: Subjects.event(event), id: event.id, payload: event });
}
