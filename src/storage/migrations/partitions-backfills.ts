import { sql, type Kysely, type Migration } from 'kysely';

/**
 * 0007 partitions and backfills. Applied through a `withSchema` kysely like 0001; adds only, except
 * the asset lock's key, which widens from the asset to (asset, partition): existing lock rows get
 * partition '' (unpartitioned), which is what they were.
 *
 * runs.partition           the run's partition: a key (`2024-10-15`), a range (`2024-10-01...2024-10-15`),
 *                          or null for an unpartitioned run. Runs also carry it as tags.
 * runs.backfill_id         the backfill that launched the run; (backfill_id) serves a backfill's runs.
 * run_steps.partitions     the partition keys the step materializes (or checks): null for an
 *                          unpartitioned asset, one key, or every key of a ranged run. startStep
 *                          locks them, finishStep records them; nothing else reads partitions from
 *                          the run row.
 * materializations.partition_key / code_version
 *                          one row per partition materialized (null when unpartitioned) and the
 *                          asset's code version at the time (staleness compares it).
 * check_results.partition_key  the partition a check evaluated (single-partition runs; null otherwise).
 * asset_locks.partition_key    '' when unpartitioned; PK (asset_key, partition_key): one writer per
 *                          (asset, partition), while two partitions of one asset run in parallel.
 * asset_partitions         the current state of every (asset, partition) that ever ended a step:
 *                          MATERIALIZED or FAILED (the last final outcome), when it was last
 *                          materialized and with which code version, and the run and step that
 *                          wrote it. PK (asset_key, partition_key), '' when unpartitioned. Written only
 *                          by finishStep, in the statement that ends the attempt, by the holder of
 *                          the (asset, partition) lock; it answers partition status, staleness and
 *                          backfill progress without scanning the history.
 * backfills                one row per backfill: selection, range, policy, the exact partition keys it
 *                          targets, its status; its runs are created with it (runs.backfill_id).
 */
export const partitionsBackfills: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('runs').addColumn('partition', 'text').execute();
    await db.schema.alterTable('runs').addColumn('backfill_id', 'text').execute();
    await db.schema
      .createIndex('runs_backfill_id_idx')
      .on('runs')
      .columns(['backfill_id', 'created_at'])
      .where(sql.ref('backfill_id'), 'is not', null)
      .execute();
    await db.schema.alterTable('run_steps').addColumn('partitions', sql`text[]`).execute();

    await db.schema.alterTable('materializations').addColumn('partition_key', 'text').execute();
    await db.schema.alterTable('materializations').addColumn('code_version', 'text').execute();
    await db.schema
      .createIndex('materializations_asset_partition_id_idx')
      .on('materializations')
      .columns(['asset_key', 'partition_key', 'id desc'])
      .execute();
    await db.schema.alterTable('check_results').addColumn('partition_key', 'text').execute();

    await db.schema.alterTable('asset_locks').addColumn('partition_key', 'text', (c) => c.notNull().defaultTo('')).execute();
    await db.schema.alterTable('asset_locks').dropConstraint('asset_locks_pkey').execute();
    await db.schema.alterTable('asset_locks').addPrimaryKeyConstraint('asset_locks_pkey', ['asset_key', 'partition_key']).execute();

    await db.schema
      .createTable('asset_partitions')
      .addColumn('asset_key', 'text', (c) => c.notNull())
      .addColumn('partition_key', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('step_key', 'text', (c) => c.notNull())
      .addColumn('materialized_at', 'timestamptz')
      .addColumn('code_version', 'text')
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('asset_partitions_pkey', ['asset_key', 'partition_key'])
      .execute();

    await db.schema
      .createTable('backfills')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('selection', 'text', (c) => c.notNull())
      .addColumn('partition_from', 'text', (c) => c.notNull())
      .addColumn('partition_to', 'text', (c) => c.notNull())
      .addColumn('policy', 'text', (c) => c.notNull())
      .addColumn('max_concurrent_runs', 'integer')
      .addColumn('partitions', sql`text[]`, (c) => c.notNull())
      .addColumn('run_count', 'integer', (c) => c.notNull())
      .addColumn('trigger', 'text', (c) => c.notNull())
      .addColumn('tags', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('ended_at', 'timestamptz')
      .execute();
    await db.schema.createIndex('backfills_created_at_idx').on('backfills').columns(['created_at desc', 'id desc']).execute();
  },
};
