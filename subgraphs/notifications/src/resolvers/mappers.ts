// What this subgraph's resolvers receive as a type's parent, and must return for it: each
// `<Type>Mapper` here replaces the SDL's shape of <Type> in src/generated/resolvers-types.ts
// (`npm run codegen`, scripts/codegen/resolver-types.ts).
import type { Connection } from '@pgamr/kit';
import type { NotificationRecord } from '../notification/notification.repository';

/** A record another subgraph owns: its key, for the gateway to resolve there. */
type Reference = { id: string };
/** A member of NotificationSubject: its key and which type it is. */
type SubjectReference<T extends string> = { __typename: T; id: string };

export type NotificationMapper = NotificationRecord;
/** The kit's connection, with the reader's unread count worked out only when selected. */
export type NotificationConnectionMapper = Connection<NotificationRecord> & { unreadCount(): Promise<number> };
export type OrganizationMapper = Reference;
export type AccessRequestMapper = SubjectReference<'AccessRequest'>;
export type AccessRightMapper = SubjectReference<'AccessRight'>;
export type DossierMapper = SubjectReference<'Dossier'>;
export type MandateMapper = SubjectReference<'Mandate'>;
export type FinancialReportMapper = SubjectReference<'FinancialReport'>;
