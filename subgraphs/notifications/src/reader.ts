import { requireViewer } from '@pgamr/kit';
import type { NotificationsContext } from './context';
import type { Reader } from './notification/notification.repository';
import { visibleNotificationCondition } from './policy';

/** R20: the request's reader and what they may see now, from their token and the decision point. */
export async function readerOf(context: NotificationsContext): Promise<Reader> {
  const viewer = requireViewer(context.auth);
  return { userId: viewer.userId, visible: visibleNotificationCondition(viewer, await context.rights()) };
}
