import { randomUUID } from 'node:crypto';
import { EntitySchema, OptionalProps } from '@mikro-orm/core';

/** R17: DRAFT → SUBMITTED → IN_REVIEW → ACCEPTED | REFUSED. */
export enum DossierStatus {
  Draft = 'DRAFT',
  Submitted = 'SUBMITTED',
  InReview = 'IN_REVIEW',
  Accepted = 'ACCEPTED',
  Refused = 'REFUSED',
}

export class Dossier {
  [OptionalProps]?: 'id' | 'status' | 'createdAt';
  id: string = randomUUID();
  /** Owned by the identity subgraph: a reference, not a foreign key. */
  organizationId!: string;
  /** Owned by the services subgraph: a reference, not a foreign key. */
  serviceId!: string;
  title!: string;
  /** numeric(14,2), read as a string by the driver to keep cents exact. */
  requestedAmount!: string;
  status: DossierStatus = DossierStatus.Draft;
  createdAt: Date = new Date();
}

export const DossierSchema = new EntitySchema<Dossier>({
  class: Dossier,
  tableName: 'dossier',
  properties: {
    id: { type: 'uuid', primary: true },
    organizationId: { type: 'uuid', index: true },
    serviceId: { type: 'uuid', index: true },
    title: { type: 'string', length: 300 },
    requestedAmount: { type: 'decimal', precision: 14, scale: 2 },
    status: { enum: true, items: () => DossierStatus, index: true },
    createdAt: { type: 'datetime' },
  },
});
