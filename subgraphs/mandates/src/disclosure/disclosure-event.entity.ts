import { randomUUID } from 'node:crypto';
import { EntitySchema, OptionalProps } from '@mikro-orm/core';

/** What an outside reader was shown. */
export enum DisclosedRecordType {
  Dossier = 'DOSSIER',
  FinancialReport = 'FINANCIAL_REPORT',
}

/**
 * One entry of the disclosure log: an outside person (a mandataire, or a firm's auditor holding
 * a PERFORM role) was shown a record of an organization, on which basis, when. Written before
 * the record leaves the subgraph; append-only like the audit trail.
 */
export class DisclosureEvent {
  [OptionalProps]?: 'id' | 'occurredAt';
  id: string = randomUUID();
  occurredAt: Date = new Date();
  readerUserId!: string;
  readerOrganizationId!: string;
  /** The organization whose record it is. */
  organizationId!: string;
  serviceId!: string;
  recordType!: DisclosedRecordType;
  recordId!: string;
  /** The mandate under which a dossier was read. */
  mandateId?: string | null;
  /** The PERFORM role under which a report was read. */
  role?: string | null;
}

export const DisclosureEventSchema = new EntitySchema<DisclosureEvent>({
  class: DisclosureEvent,
  tableName: 'disclosure_event',
  indexes: [{ properties: ['organizationId', 'occurredAt', 'id'] }],
  properties: {
    id: { type: 'uuid', primary: true },
    occurredAt: { type: 'datetime' },
    readerUserId: { type: 'uuid' },
    readerOrganizationId: { type: 'uuid' },
    organizationId: { type: 'uuid' },
    serviceId: { type: 'uuid' },
    recordType: { enum: true, items: () => DisclosedRecordType },
    recordId: { type: 'uuid' },
    mandateId: { type: 'uuid', nullable: true },
    role: { type: 'string', length: 40, nullable: true },
  },
});
