import { randomUUID } from 'node:crypto';
import { EntitySchema, OptionalProps } from '@mikro-orm/core';

export enum SectorCode {
  Infrastructures = 'INFRASTRUCTURES',
  MunicipalFinances = 'MUNICIPAL_FINANCES',
  Portal = 'PORTAL',
}

/** Sector names as the portal shows them under « Mes services en ligne » (R9). */
export const SECTOR_NAMES: Record<SectorCode, string> = {
  [SectorCode.Infrastructures]: 'Infrastructures',
  [SectorCode.MunicipalFinances]: 'Finances municipales',
  [SectorCode.Portal]: 'Services du portail',
};

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
    sector: { enum: true, items: () => SectorCode },
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
