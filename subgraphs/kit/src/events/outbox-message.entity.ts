import { EntitySchema, OptionalProps } from '@mikro-orm/core';

/**
 * One message a subgraph will publish on the bus (issue 19's transactional outbox): written in
 * the transaction of the change it tells of, published by the relay (outbox-relay.ts) after the
 * commit, marked published then, deleted a week later. The kit owns its table (outbox-migrations.ts).
 */
export class OutboxMessage {
  [OptionalProps]?: 'createdAt' | 'publishedAt' | 'transactionId';
  /** The bus message's id: JetStream de-duplicates a second publication of it. */
  id!: string;
  subject!: string;
  payload!: unknown;
  createdAt: Date = new Date();
  publishedAt?: Date | null = null;
  /** The writing transaction's id (`txid_current()`), set by the database: the relay's update rewrites the row's `xmin`, not this. */
  transactionId?: string;
}

export const OutboxMessageSchema = new EntitySchema<OutboxMessage>({
  class: OutboxMessage,
  tableName: 'event_outbox',
  // The relay's only query reads the rows still to publish, oldest first: a partial index of those alone.
  indexes: [
    {
      name: 'event_outbox_unpublished_index',
      expression: 'create index if not exists "event_outbox_unpublished_index" on "event_outbox" ("created_at") where "published_at" is null',
    },
  ],
  properties: {
    id: { type: 'uuid', primary: true },
    subject: { type: 'text' },
    payload: { type: 'json' },
    createdAt: { type: 'datetime', defaultRaw: 'now()' },
    publishedAt: { type: 'datetime', nullable: true },
    transactionId: { type: 'bigint', defaultRaw: 'txid_current()' },
  },
});
