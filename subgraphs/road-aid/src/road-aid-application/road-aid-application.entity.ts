import { randomUUID } from 'node:crypto';
import { EntitySchema, OptionalProps } from '@mikro-orm/core';

/** PAVL: an application is drafted by the organization, then submitted to the MTMD. */
export enum RoadAidApplicationStatus {
  Draft = 'DRAFT',
  Submitted = 'SUBMITTED',
}

/** An organization's application to the Programme d'aide à la voirie locale for one road segment. */
export class RoadAidApplication {
  [OptionalProps]?: 'id' | 'status' | 'createdAt';
  id: string = randomUUID();
  /** Owned by the identity subgraph: a reference, not a foreign key. */
  organizationId!: string;
  fiscalYear!: number;
  roadSegmentName!: string;
  lengthKm!: number;
  /** Dollars and cents, exact: the numeric column's decimal string, never a binary float (API v1). */
  requestedAmount!: string;
  status: RoadAidApplicationStatus = RoadAidApplicationStatus.Draft;
  createdBy!: string;
  createdAt: Date = new Date();
}

export const RoadAidApplicationSchema = new EntitySchema<RoadAidApplication>({
  class: RoadAidApplication,
  tableName: 'road_aid_application',
  properties: {
    id: { type: 'uuid', primary: true },
    organizationId: { type: 'uuid', index: true },
    fiscalYear: { type: 'smallint' },
    roadSegmentName: { type: 'string', length: 300 },
    // Numeric columns come back from PostgreSQL as strings: a length is read as a number; an
    // amount stays the exact string, from the column to the JSON (the Money scalar).
    lengthKm: { type: 'decimal', precision: 8, scale: 2, runtimeType: 'number' },
    requestedAmount: { type: 'decimal', precision: 14, scale: 2, runtimeType: 'string' },
    status: { enum: true, items: () => RoadAidApplicationStatus },
    createdBy: { type: 'uuid' },
    createdAt: { type: 'datetime' },
  },
});
