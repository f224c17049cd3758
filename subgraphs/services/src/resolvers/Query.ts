import { requireViewer } from '@pgamr/kit';
import type { ServicesContext } from '../context';
import { findCatalog } from '../online-service/online-service.repository';

// The catalog is readable by any signed-in user (R7, R22), and by no one else.
export const Query = {
  onlineServices: (_: unknown, _args: unknown, { em, auth }: ServicesContext) => {
    requireViewer(auth);
    return findCatalog(em);
  },
  onlineService: (_: unknown, { id }: { id: string }, { loaders, auth }: ServicesContext) => {
    requireViewer(auth);
    return loaders.onlineServiceById.load(id);
  },
};
