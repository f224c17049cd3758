import { requireViewer } from '@pgamr/kit';
import type { ServicesContext } from '../context';
import { SECTOR_NAMES, type OnlineService as OnlineServiceEntity } from '../online-service/online-service.entity';

export const OnlineService = {
  __resolveReference: ({ id }: { id: string }, { loaders, auth }: ServicesContext) => {
    requireViewer(auth);
    return loaders.onlineServiceById.load(id);
  },
  sector: (service: OnlineServiceEntity) => ({ code: service.sector, name: SECTOR_NAMES[service.sector] }),
  owner: (service: OnlineServiceEntity) => ({
    ministry: service.ownerMinistry,
    directionCode: service.ownerDirectionCode,
    directionName: service.ownerDirectionName,
  }),
  supportContact: (service: OnlineServiceEntity) => ({
    name: service.supportName,
    phone: service.supportPhone,
    email: service.supportEmail,
  }),
};
