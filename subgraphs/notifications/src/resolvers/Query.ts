import { isUuid, requireViewer } from '@pgamr/kit';
import type { QueryResolvers } from '../generated/resolvers-types';
import { countUnread, findNotificationPage } from '../notification/notification.repository';
import { readerOf } from '../reader';

export const Query = {
  /** R20: the reader's notifications, their rules evaluated now; the unread count only when selected. */
  myNotifications: async (_, page, context) => {
    const reader = await readerOf(context);
    const notifications = await findNotificationPage(context.em, reader, page);
    let unread: Promise<number> | undefined;
    return { ...notifications, unreadCount: () => (unread ??= countUnread(context.em, reader)) };
  },
  /** R20: null for a notification the reader does not see now, exactly as for one that does not exist. */
  notification: async (_, { id }, context) => {
    requireViewer(context.auth);
    return isUuid(id) ? context.loaders.visibleNotificationById(await readerOf(context)).load(id) : null;
  },
} satisfies QueryResolvers;
