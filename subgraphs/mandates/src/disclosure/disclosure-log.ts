import { randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DisclosureEvent, type DisclosedRecordType } from './disclosure-event.entity';

/** What an outside reader is about to be shown, and on which basis. */
export interface Disclosure {
  readerUserId: string;
  readerOrganizationId: string;
  organizationId: string;
  serviceId: string;
  recordType: DisclosedRecordType;
  recordId: string;
  mandateId?: string | null;
  role?: string | null;
}

const keyOf = (d: Disclosure) => `${d.recordType}:${d.recordId}:${d.mandateId ?? ''}:${d.role ?? ''}`;

/**
 * The request's disclosure log writer: every disclosure asked for in the same tick is written
 * in one insert, once per record and basis per request, and the resolver awaits it, so a record
 * is never shown to an outsider without its entry.
 */
export function disclosureLoader(em: EntityManager): DataLoader<Disclosure, true, string> {
  return new DataLoader<Disclosure, true, string>(
    async (disclosures) => {
      // Rows, not entities: nothing reads them back in the request, and building an entity per
      // row (to be thrown away) was most of the insert's CPU on a mandataire's list (issue 16).
      // The id and instant are the entity's own defaults.
      const occurredAt = new Date();
      await em.insertMany(
        DisclosureEvent,
        disclosures.map((d) => ({ mandateId: null, role: null, ...d, id: randomUUID(), occurredAt })),
      );
      return disclosures.map(() => true as const);
    },
    { cacheKeyFn: keyOf },
  );
}
