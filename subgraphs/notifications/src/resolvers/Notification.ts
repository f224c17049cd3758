import { requireViewer } from '@pgamr/kit';
import type { NotificationResolvers, NotificationSubjectResolvers } from '../generated/resolvers-types';
import { readerOf } from '../reader';

export const Notification = {
  /** R20: `_entities` (the gateway's live delivery) answers as `notification(id)` does: null when not visible now. */
  __resolveReference: async ({ id }, context) => {
    requireViewer(context.auth);
    return context.loaders.visibleNotificationById(await readerOf(context)).load(id);
  },
  // Records other subgraphs own: a reference the gateway resolves there, with their own rules for
  // the reader (null when they may not read it now, R15, R20).
  // Both null for an event about no one organization and no record (R18: a report never opened).
  organization: (notification) => (notification.organizationId === null ? null : { __typename: 'Organization', id: notification.organizationId }),
  subject: (notification) => (notification.subject === null ? null : { __typename: notification.subject.typename, id: notification.subject.id }),
} satisfies NotificationResolvers;

export const NotificationSubject = {
  __resolveType: (subject) => subject.__typename,
} satisfies NotificationSubjectResolvers;
