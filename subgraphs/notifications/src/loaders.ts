import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { findVisibleNotifications, type NotificationRecord, type Reader } from './notification/notification.repository';

/** The notifications subgraph's per-request loaders. */
export function createNotificationsLoaders(em: EntityManager) {
  let visibleById: DataLoader<string, NotificationRecord | null> | undefined;
  return {
    /**
     * R20: the notifications the request's reader may see, by id (null for any other): one
     * statement per batch of `notification(id)` and `_entities`. A request has one reader.
     */
    visibleNotificationById: (reader: Reader) => (visibleById ??= new DataLoader((ids: readonly string[]) => findVisibleNotifications(em, reader, ids))),
  };
}

export type NotificationsLoaders = ReturnType<typeof createNotificationsLoaders>;
