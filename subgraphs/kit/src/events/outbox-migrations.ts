import type { MigrationObject } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';

/** The channel the outbox's insert trigger notifies: the relay LISTENs on it. */
export const OUTBOX_CHANNEL = 'event_outbox';

/**
 * The outbox's table (issue 19), owned by the kit like the audit trail's: every subgraph that
 * lists OutboxMessageSchema among its entities (`events: true`) gets it before its own migrations.
 */
export class KitEventOutboxTable extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table if not exists "event_outbox" ("id" uuid not null, "subject" text not null, "payload" jsonb not null, "created_at" timestamptz not null default now(), "published_at" timestamptz null, constraint "event_outbox_pkey" primary key ("id"));`,
    );
    // The relay's only query reads the rows still to publish, oldest first: the index holds those alone.
    this.addSql(`create index if not exists "event_outbox_unpublished_index" on "event_outbox" ("created_at") where "published_at" is null;`);
    // A committed insert wakes the relay at once rather than at its next poll.
    this.addSql(
      `create or replace function event_outbox_notify() returns trigger language plpgsql as $$ begin perform pg_notify('${OUTBOX_CHANNEL}', ''); return null; end $$;`,
    );
    this.addSql(`drop trigger if exists event_outbox_notify on "event_outbox";`);
    this.addSql(`create trigger event_outbox_notify after insert on "event_outbox" for each statement execute function event_outbox_notify();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "event_outbox" cascade;`);
    this.addSql(`drop function if exists event_outbox_notify() cascade;`);
  }
}

/**
 * The transaction that wrote each message, kept as it was: the relay's update (`published_at`)
 * rewrites the row's `xmin`, so that only this column still says that the message was written by
 * the transaction of the change it tells of (and of its audit entry).
 */
export class KitEventOutboxTransaction extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "event_outbox" add column if not exists "transaction_id" bigint not null default txid_current();`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "event_outbox" drop column if exists "transaction_id";`);
  }
}

/** The kit's migrations of the outbox table, oldest first; their names never change. */
export const OUTBOX_MIGRATIONS: readonly MigrationObject[] = [
  { name: 'Kit20261207000000EventOutboxTable', class: KitEventOutboxTable },
  { name: 'Kit20261207130000EventOutboxTransaction', class: KitEventOutboxTransaction },
];
