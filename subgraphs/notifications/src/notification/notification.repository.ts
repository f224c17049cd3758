import { Cursor } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { badUserInput, checkPageRequest, enumValue, EventType, instantOf, isUuid, lazyCount, optionalText, text, type Connection, type EventSubject, type PageRequest, type Row } from '@pgamr/kit';

// Read paths: one statement per page (or per batch of ids), the reader's own read marks joined
// in, rows mapped to plain records; nothing here is hydrated into managed entities (style 8c).

/** A condition on the `notification` row aliased `n`, with its positional parameters (`?`). */
export interface SqlCondition {
  sql: string;
  params: unknown[];
}

/** A notification as one reader sees it: with when they read it. */
export interface NotificationRecord {
  id: string;
  type: EventType;
  occurredAt: Date;
  organizationId: string | null;
  serviceId: string | null;
  subject: EventSubject | null;
  data: Record<string, unknown>;
  readAt: Date | null;
}

/** Who reads, and what they may see (policy.ts: visibleNotificationCondition). */
export interface Reader {
  userId: string;
  visible: SqlCondition;
}

/** The most ids one markNotificationsRead names. */
export const MAX_IDS_PER_MARK = 100;

const COLUMNS = `n."id", n."type", n."occurred_at", n."organization_id", n."service_id", n."subject_typename", n."subject_id", n."data", r."read_at"`;
const READ_JOIN = `left join "notification_read" r on r."notification_id" = n."id" and r."user_id" = ?`;
const typeOf = enumValue(EventType);
const SUBJECT_TYPENAMES: Record<string, EventSubject['typename']> = {
  AccessRequest: 'AccessRequest',
  AccessRight: 'AccessRight',
  Mandate: 'Mandate',
  Dossier: 'Dossier',
  FinancialReport: 'FinancialReport',
};
const subjectTypenameOf = enumValue(SUBJECT_TYPENAMES);

function recordOf(em: EntityManager): (row: Row) => NotificationRecord {
  const instant = instantOf(em);
  return (row) => ({
    id: text(row.id),
    type: typeOf(row.type),
    occurredAt: instant(row.occurred_at),
    organizationId: optionalText(row.organization_id),
    serviceId: optionalText(row.service_id),
    subject: row.subject_id === null || row.subject_id === undefined ? null : { typename: subjectTypenameOf(row.subject_typename), id: text(row.subject_id) },
    data: typeof row.data === 'object' && row.data !== null ? (row.data as Record<string, unknown>) : {},
    readAt: row.read_at === null || row.read_at === undefined ? null : instant(row.read_at),
  });
}

/** The cursor's values (occurredAt, id), or BAD_USER_INPUT for one this list never gave. */
function afterOf(after: unknown[] | null): { occurredAt: string; id: string } | null {
  if (!after) return null;
  // MikroORM's Cursor.decode gives back an ISO instant as a Date.
  const [occurredAt, id] = after;
  if (after.length !== 2 || !(occurredAt instanceof Date) || Number.isNaN(occurredAt.getTime()) || typeof id !== 'string' || !isUuid(id)) {
    throw badUserInput('Le curseur de pagination est invalide.', { field: 'after' });
  }
  return { occurredAt: occurredAt.toISOString(), id };
}

const cursorOf = (record: NotificationRecord) => Cursor.encode([record.occurredAt.toISOString(), record.id]);

/**
 * R20: one page of the reader's notifications, newest first (the id breaks ties), only the unread
 * ones if asked; the total counted only when selected.
 */
export async function findNotificationPage(em: EntityManager, reader: Reader, page: PageRequest & { unreadOnly?: boolean | null }): Promise<Connection<NotificationRecord>> {
  const { size, after: afterValues } = checkPageRequest(page);
  const after = afterOf(afterValues);
  const filters = [reader.visible.sql, ...(page.unreadOnly ? ['r."read_at" is null'] : [])];
  const filterParams = [...reader.visible.params];
  const pageFilters = after ? [...filters, `(n."occurred_at", n."id") < (?::timestamptz, ?::uuid)`] : filters;
  const rows = await em.execute<Row[]>(
    `select ${COLUMNS} from "notification" n ${READ_JOIN} where ${pageFilters.join(' and ')} order by n."occurred_at" desc, n."id" desc limit ?`,
    [reader.userId, ...filterParams, ...(after ? [after.occurredAt, after.id] : []), size + 1],
  );
  const records = rows.slice(0, size).map(recordOf(em));
  const count = lazyCount(async () => {
    const [row] = await em.execute<Row[]>(`select count(*)::int as "count" from "notification" n ${READ_JOIN} where ${filters.join(' and ')}`, [reader.userId, ...filterParams]);
    return Number(row?.count ?? 0);
  });
  return {
    nodes: records,
    edges: () => records.map((node) => ({ cursor: cursorOf(node), node })),
    pageInfo: {
      hasNextPage: rows.length > size,
      hasPreviousPage: after !== null,
      startCursor: records[0] ? cursorOf(records[0]) : null,
      endCursor: records.at(-1) ? cursorOf(records.at(-1)!) : null,
    },
    totalCount: count,
  };
}

/** R20: the notifications of `ids` the reader may see, in the order of `ids` (null for the others): one statement. */
export async function findVisibleNotifications(em: EntityManager, reader: Reader, ids: readonly string[]): Promise<Array<NotificationRecord | null>> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return ids.map(() => null);
  const rows = await em.execute<Row[]>(
    `select ${COLUMNS} from "notification" n ${READ_JOIN} where n."id" in (select value::uuid from jsonb_array_elements_text(?::jsonb)) and ${reader.visible.sql}`,
    [reader.userId, JSON.stringify(valid), ...reader.visible.params],
  );
  const byId = new Map(rows.map(recordOf(em)).map((record) => [record.id, record]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** R20: how many notifications the reader sees and has not read. */
export async function countUnread(em: EntityManager, reader: Reader): Promise<number> {
  const [row] = await em.execute<Row[]>(
    `select count(*)::int as "count" from "notification" n where ${reader.visible.sql} and not exists (select 1 from "notification_read" r where r."notification_id" = n."id" and r."user_id" = ?)`,
    [...reader.visible.params, reader.userId],
  );
  return Number(row?.count ?? 0);
}

/**
 * R20: marks read, for the reader, the notifications they see among `ids` (or all of them): one
 * statement; an id they do not see, or that does not exist, is left alone without a word, so the
 * answer never tells whether it exists. A notification read before keeps its first read time.
 */
export async function markRead(em: EntityManager, reader: Reader, which: { ids: readonly string[] } | { all: true }, now: Date): Promise<void> {
  const ids = 'ids' in which ? which.ids.filter(isUuid) : null;
  if (ids && ids.length === 0) return;
  await em.execute(
    `insert into "notification_read" ("user_id", "notification_id", "read_at")
     select ?::uuid, n."id", ?::timestamptz from "notification" n
     where ${ids ? `n."id" in (select value::uuid from jsonb_array_elements_text(?::jsonb)) and ` : ''}${reader.visible.sql}
     on conflict ("user_id", "notification_id") do nothing`,
    [reader.userId, now.toISOString(), ...(ids ? [JSON.stringify(ids)] : []), ...reader.visible.params],
  );
}
