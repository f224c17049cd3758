import type { ServicesContext } from '../context';
import { findCatalog } from '../online-service/online-service.repository';

export const Query = {
  onlineServices: (_: unknown, _args: unknown, { em }: ServicesContext) => findCatalog(em),
  onlineService: (_: unknown, { id }: { id: string }, { loaders }: ServicesContext) =>
    loaders.onlineServiceById.load(id),
};
