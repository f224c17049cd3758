import { randomUUID } from 'node:crypto';
import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import type { SectorCode } from '@pgamr/kit';

// The sectors are the portal's vocabulary, in the kit: every ministry's declaration picks one.
export { SECTOR_NAMES, SectorCode } from '@pgamr/kit';

export enum OnlineServiceStatus {
  Available = 'AVAILABLE',
  Suspended = 'SUSPENDED',
  Retired = 'RETIRED',
}

export class OnlineService {
  [OptionalProps]?: 'id' | 'status' | 'createdAt';
  id: string = randomUUID();
  code!: string;
  name!: string;
  description!: string;
  sector!: SectorCode;
  ownerMinistry!: string;
  ownerDirectionCode!: string;
  ownerDirectionName!: string;
  status: OnlineServiceStatus = OnlineServiceStatus.Available;
  supportName!: string;
  supportPhone!: string;
  supportEmail!: string;
  createdAt: Date = new Date();
}

export const OnlineServiceSchema = new EntitySchema<OnlineService>({
  class: OnlineService,
  tableName: 'online_service',
  properties: {
    id: { type: 'uuid', primary: true },
    code: { type: 'string', length: 30, unique: true },
    name: { type: 'string', length: 200 },
    description: { type: 'text' },
    // R23: checked against the kit's vocabulary when written (seed, registration), not by a
    // database constraint, so that a sector the portal adds needs no migration here.
    sector: { type: 'text' },
    ownerMinistry: { type: 'string', length: 200 },
    ownerDirectionCode: { type: 'string', length: 20 },
    ownerDirectionName: { type: 'string', length: 200 },
    status: { enum: true, items: () => OnlineServiceStatus },
    supportName: { type: 'string', length: 200 },
    supportPhone: { type: 'string', length: 30 },
    supportEmail: { type: 'string', length: 254 },
    createdAt: { type: 'datetime' },
  },
});
