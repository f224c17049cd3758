import { randomUUID } from 'node:crypto';
import { EntitySchema, OptionalProps, type Ref } from '@mikro-orm/core';

/** R17: DRAFT → SUBMITTED → IN_REVIEW → ACCEPTED | REFUSED. */
export enum DossierStatus {
  Draft = 'DRAFT',
  Submitted = 'SUBMITTED',
  InReview = 'IN_REVIEW',
  Accepted = 'ACCEPTED',
  Refused = 'REFUSED',
}

/** R17: a dossier with a final decision is closed; its mandates end with it (R16). */
export const CLOSED_STATUSES: readonly DossierStatus[] = [DossierStatus.Accepted, DossierStatus.Refused];

export class Dossier {
  [OptionalProps]?: 'id' | 'status' | 'form' | 'createdAt' | 'updatedAt';
  id: string = randomUUID();
  /** Owned by the identity subgraph: a reference, not a foreign key. */
  organizationId!: string;
  /** Owned by the services subgraph: a reference, not a foreign key. */
  serviceId!: string;
  title!: string;
  /** numeric(14,2), read as a string by the driver to keep cents exact. */
  requestedAmount!: string;
  status: DossierStatus = DossierStatus.Draft;
  /** The program's form as last saved, validated against its program's schema (program-forms.ts). */
  form: Record<string, unknown> = {};
  createdBy!: string;
  createdAt: Date = new Date();
  updatedAt: Date = new Date();
}

/** One step of a dossier's history (R17, R21): who moved it from which status to which, and why. */
export class DossierStatusChange {
  [OptionalProps]?: 'id' | 'changedAt';
  id: string = randomUUID();
  dossier!: Ref<Dossier>;
  fromStatus?: DossierStatus | null;
  toStatus!: DossierStatus;
  changedBy!: string;
  changedAt: Date = new Date();
  reason?: string | null;
}

export const DossierSchema = new EntitySchema<Dossier>({
  class: Dossier,
  tableName: 'dossier',
  indexes: [
    // Keyset pagination of an organization's dossiers, newest first; status, program and title
    // filters are checked within that one organization's range.
    { properties: ['organizationId', 'createdAt', 'id'] },
    // A program's dossiers across every organization (the owner's staff), newest first, and the
    // same by status (a review queue): exact ranges, as a program holds the whole province's files.
    { properties: ['serviceId', 'createdAt', 'id'] },
    { properties: ['serviceId', 'status', 'createdAt', 'id'] },
    // Every dossier a ministry direction reviews, across its programs (Query.dossiers), newest
    // first: the page is read in order and stops, instead of sorting the direction's whole share.
    { properties: ['createdAt', 'id'] },
  ],
  properties: {
    id: { type: 'uuid', primary: true },
    organizationId: { type: 'uuid' },
    serviceId: { type: 'uuid' },
    title: { type: 'string', length: 300 },
    requestedAmount: { type: 'decimal', precision: 14, scale: 2 },
    status: { enum: true, items: () => DossierStatus },
    form: { type: 'json' },
    createdBy: { type: 'uuid' },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime', onUpdate: () => new Date() },
  },
});

export const DossierStatusChangeSchema = new EntitySchema<DossierStatusChange>({
  class: DossierStatusChange,
  tableName: 'dossier_status_change',
  indexes: [{ properties: ['dossier', 'changedAt'] }],
  properties: {
    id: { type: 'uuid', primary: true },
    dossier: { kind: 'm:1', entity: 'Dossier', ref: true },
    fromStatus: { enum: true, items: () => DossierStatus, nullable: true },
    toStatus: { enum: true, items: () => DossierStatus },
    changedBy: { type: 'uuid' },
    changedAt: { type: 'datetime' },
    reason: { type: 'string', length: 1000, nullable: true },
  },
});
