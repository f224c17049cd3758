import { EntitySchema, OptionalProps, type Ref } from '@mikro-orm/core';
import { EventType, type Audience, type EventSubject } from '@pgamr/kit';

/**
 * One domain event as the inbox keeps it: one row per event whoever it is for (its id is the
 * event's, which makes writing it idempotent). Who may read it is decided when it is read, from
 * its audiences (policy.ts), never fixed when it is written.
 */
export class Notification {
  [OptionalProps]?: 'createdAt';
  id!: string;
  type!: EventType;
  occurredAt!: Date;
  /** Owned by identity: a reference, not a foreign key; null for an event about no one organization. */
  organizationId?: string | null;
  serviceId?: string | null;
  /** Both null for an event about no record (R18: a report a body has not opened). */
  subjectTypename?: EventSubject['typename'] | null;
  subjectId?: string | null;
  data!: Record<string, string | number | boolean | null>;
  createdAt: Date = new Date();
}

/** The kinds of audience a producer names (the kit's contract), as stored. */
export const AUDIENCE_KINDS = ['USERS', 'OWNER_STAFF', 'FIRM_RSE', 'SERVICE_USERS', 'SERVICE_ROLES', 'SERVICE_ROLES_EXCEPT'] as const satisfies ReadonlyArray<Audience['kind']>;
export type AudienceKind = (typeof AUDIENCE_KINDS)[number];

/** One audience of a notification; the columns its kind does not use stay null. */
export class NotificationAudience {
  notification!: Ref<Notification>;
  /** Its place among the notification's audiences, as the producer listed them. */
  ordinal!: number;
  kind!: AudienceKind;
  userIds?: string[] | null;
  firmOrganizationId?: string | null;
  organizationId?: string | null;
  serviceId?: string | null;
  roles?: string[] | null;
  exceptOrganizationIds?: string[] | null;
}

/** That a reader marked a notification read (per reader: a notification has many). */
export class NotificationRead {
  userId!: string;
  notification!: Ref<Notification>;
  readAt!: Date;
}

const SUBJECT_TYPENAMES = ['AccessRequest', 'AccessRight', 'Mandate', 'Dossier', 'FinancialReport'] as const satisfies ReadonlyArray<EventSubject['typename']>;

export const NotificationSchema = new EntitySchema<Notification>({
  class: Notification,
  tableName: 'notification',
  indexes: [
    // The reader's list, newest first, and the retention job's range.
    { properties: ['occurredAt', 'id'] },
  ],
  properties: {
    id: { type: 'uuid', primary: true },
    type: { enum: true, items: () => Object.values(EventType) },
    occurredAt: { type: 'datetime' },
    organizationId: { type: 'uuid', nullable: true },
    serviceId: { type: 'uuid', nullable: true },
    subjectTypename: { enum: true, items: () => [...SUBJECT_TYPENAMES], nullable: true },
    subjectId: { type: 'uuid', nullable: true },
    data: { type: 'json' },
    createdAt: { type: 'datetime' },
  },
});

export const NotificationAudienceSchema = new EntitySchema<NotificationAudience>({
  class: NotificationAudience,
  tableName: 'notification_audience',
  indexes: [
    // One per branch of visibleNotificationCondition (policy.ts): each finds its rows by index.
    { name: 'notification_audience_user_ids_index', expression: 'create index "notification_audience_user_ids_index" on "notification_audience" using gin ("user_ids")' },
    { properties: ['kind', 'firmOrganizationId'] },
    { properties: ['kind', 'serviceId', 'organizationId'] },
  ],
  properties: {
    notification: { kind: 'm:1', entity: 'Notification', ref: true, primary: true, deleteRule: 'cascade' },
    ordinal: { type: 'smallint', primary: true },
    kind: { enum: true, items: () => [...AUDIENCE_KINDS] },
    userIds: { type: 'array', columnType: 'uuid[]', nullable: true },
    firmOrganizationId: { type: 'uuid', nullable: true },
    organizationId: { type: 'uuid', nullable: true },
    serviceId: { type: 'uuid', nullable: true },
    roles: { type: 'array', columnType: 'text[]', nullable: true },
    exceptOrganizationIds: { type: 'array', columnType: 'uuid[]', nullable: true },
  },
});

export const NotificationReadSchema = new EntitySchema<NotificationRead>({
  class: NotificationRead,
  tableName: 'notification_read',
  properties: {
    userId: { type: 'uuid', primary: true },
    notification: { kind: 'm:1', entity: 'Notification', ref: true, primary: true, deleteRule: 'cascade', index: true },
    readAt: { type: 'datetime' },
  },
});
