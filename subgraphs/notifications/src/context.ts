import type { SubgraphContext } from '@pgamr/kit';
import type { NotificationsLoaders } from './loaders';

export type NotificationsContext = SubgraphContext<NotificationsLoaders>;
