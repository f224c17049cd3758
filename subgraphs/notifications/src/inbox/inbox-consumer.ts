import type { EntityManager } from '@mikro-orm/postgresql';
import { Subjects, type BusSubscription, type EventBus, type Logger } from '@pgamr/kit';
import { parseDomainEvent } from './domain-event';
import { writeInbox, type RecordOutbox } from './inbox-writer';

/** The durable consumer's name in production: one cursor shared by every replica of the subgraph. */
export const INBOX_CONSUMER = 'notifications-inbox';

/**
 * Consumes every domain event into the inbox, at least once: a message is acknowledged once its
 * transaction committed (or found already written), and delivered again when the database could
 * not take it. A message that is not an event the inbox can keep is logged (its id and subject
 * only) and acknowledged: delivered again, it would never be one.
 */
export function startInboxConsumer(bus: EventBus, durable: string, em: EntityManager, recordOutbox: RecordOutbox, logger: Logger): Promise<BusSubscription> {
  return bus.consume(durable, Subjects.allEvents, async (message) => {
    const event = parseDomainEvent(message.payload);
    if (!event) {
      logger.warn({ messageId: message.id, subject: message.subject }, 'bus message set aside: not a domain event the inbox can keep');
      return;
    }
    await writeInbox(em, event, recordOutbox);
  });
}
