import type { Kysely, Migration } from 'kysely';

/**
 * 0006 asset cursors: an asset's incremental state (a high-water mark, a manifest of what it has
 * processed), per partition ('' when unpartitioned). Applied through a `withSchema` kysely like
 * 0001; adds only. A row is written only by finishStep(SUCCEEDED), in the statement that records
 * the success, so a failed or retried attempt never moves it. `run_id` and `step_key` name the
 * attempt that wrote it.
 */
export const assetCursors: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('asset_cursors')
      .addColumn('asset_key', 'text', (c) => c.notNull())
      .addColumn('partition_key', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('value', 'jsonb', (c) => c.notNull())
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('step_key', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('asset_cursors_pkey', ['asset_key', 'partition_key'])
      .execute();
  },
};
