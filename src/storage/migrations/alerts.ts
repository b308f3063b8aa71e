import type { Kysely, Migration } from 'kysely';

/**
 * 0011 alerts. Adds only.
 *
 * alert_feeds              PK name: the cursor (a FeedCursor, execution/sensor-feed.ts) of the feed
 *                          that turns events into deliveries; moved in the transaction that writes them.
 * alert_deliveries         the outbox: one row per alert, channel and event; `idempotency_key` unique
 *                          (the exactly-once guard). PENDING until SENT or FAILED (attempts or age
 *                          exhausted); `claimed_by`/`claim_expires_at`: the loop sending it now.
 *                          (status, next_attempt_at) serves the claim.
 * alert_delivery_attempts  one row per attempt: ok, or the (redacted) error.
 */
export const alerts: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('alert_feeds')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('cursor', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('alert_deliveries')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
      .addColumn('alert', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('payload', 'jsonb', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
      .addColumn('claimed_by', 'text')
      .addColumn('claim_expires_at', 'timestamptz')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('sent_at', 'timestamptz')
      .execute();
    await db.schema.createIndex('alert_deliveries_status_next_idx').on('alert_deliveries').columns(['status', 'next_attempt_at']).execute();
    await db.schema
      .createTable('alert_delivery_attempts')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('delivery_id', 'bigint', (c) => c.notNull().references('alert_deliveries.id').onDelete('cascade'))
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('at', 'timestamptz', (c) => c.notNull())
      .addColumn('ok', 'boolean', (c) => c.notNull())
      .addColumn('error', 'text')
      .execute();
    await db.schema.createIndex('alert_delivery_attempts_delivery_idx').on('alert_delivery_attempts').columns(['delivery_id', 'attempt']).execute();
  },
};
