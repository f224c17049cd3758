import { requireViewer } from '@pgamr/kit';
import type { OnlineServiceResolvers } from '../generated/resolvers-types';
import { SECTOR_NAMES } from '../online-service/online-service.entity';

export const OnlineService = {
  __resolveReference: ({ id }, { loaders, auth }) => {
    requireViewer(auth);
    return loaders.onlineServiceById.load(id);
  },
  sector: (service) => ({ code: service.sector, name: SECTOR_NAMES[service.sector] }),
  owner: (service) => ({
    ministry: service.ownerMinistry,
    directionCode: service.ownerDirectionCode,
    directionName: service.ownerDirectionName,
  }),
  supportContact: (service) => ({
    name: service.supportName,
    phone: service.supportPhone,
    email: service.supportEmail,
  }),
} satisfies OnlineServiceResolvers;
