import type { Kysely, Migration } from 'kysely';

/**
 * 0002 asset locks, heartbeats, leases and the queue reason. Applied through a `withSchema` kysely
 * like 0001; adds only, so stores that have 0001 keep every row.
 *
 * asset_locks  one row per asset being materialized now, PK asset_key: startStep inserts it in the
 *              transaction that moves an asset step to RUNNING, so two steps (of any runs) can never
 *              materialize one asset at once; finishStep and retryStep delete it. (run_id, step_key)
 *              names the holder, `worker` and `acquired_at` who took it and when. No foreign key to
 *              runs: the row is only written by those three, each under the holder run's row lock.
 * heartbeats   one row per live process (daemon or worker), PK id, upserted on every beat: kind,
 *              host, pid, when it started, its last beat (`at`) and small JSON facts (`info`).
 * leases       named leases with one holder until `expires_at`, PK name: daemons elect the one that
 *              runs the run queue by taking and renewing a lease in one upsert.
 * runs.queue_reason  why a QUEUED run has not started yet (the limit holding it back); null once it
 *              leaves QUEUED.
 */
export const locksHeartbeatsLeases: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('asset_locks')
      .addColumn('asset_key', 'text', (c) => c.primaryKey())
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('step_key', 'text', (c) => c.notNull())
      .addColumn('worker', 'text', (c) => c.notNull())
      .addColumn('acquired_at', 'timestamptz', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('heartbeats')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('host', 'text', (c) => c.notNull())
      .addColumn('pid', 'integer', (c) => c.notNull())
      .addColumn('started_at', 'timestamptz', (c) => c.notNull())
      .addColumn('at', 'timestamptz', (c) => c.notNull())
      .addColumn('info', 'jsonb', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('leases')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('holder', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
      .execute();

    await db.schema.alterTable('runs').addColumn('queue_reason', 'text').execute();
  },
};
