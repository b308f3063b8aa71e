import type { Kysely, Migration } from 'kysely';

/**
 * 0010 declarative automation. Applied through a `withSchema` kysely like 0001; adds only.
 *
 * automation_state        one row (id 'default'): `status` RUNNING | STOPPED, `cursor` the last
 *                         saved evaluation's cursor (per asset: requested partitions, stateful nodes'
 *                         true partitions; the last materialization id it read).
 * automation_evaluations  one row per saved evaluation: the runs and backfills it launched, launch
 *                         errors, how many partitions it requested. Purged after a retention.
 * automation_asset_evaluations  the evaluated tree of each asset of an evaluation (ON DELETE
 *                         CASCADE); PK (asset_key, evaluation_id) serves "the latest for an asset".
 */
export const automation: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('automation_state')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('cursor', 'jsonb')
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('automation_evaluations')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('evaluated_at', 'timestamptz', (c) => c.notNull())
      .addColumn('run_ids', 'jsonb', (c) => c.notNull())
      .addColumn('backfill_ids', 'jsonb', (c) => c.notNull())
      .addColumn('errors', 'jsonb', (c) => c.notNull())
      .addColumn('requested_count', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('automation_evaluations_evaluated_at_idx').on('automation_evaluations').column('evaluated_at').execute();
    await db.schema
      .createTable('automation_asset_evaluations')
      .addColumn('asset_key', 'text', (c) => c.notNull())
      .addColumn('evaluation_id', 'bigint', (c) => c.notNull().references('automation_evaluations.id').onDelete('cascade'))
      .addColumn('requested', 'jsonb', (c) => c.notNull())
      .addColumn('tree', 'jsonb')
      .addColumn('error', 'jsonb')
      .addPrimaryKeyConstraint('automation_asset_evaluations_pkey', ['asset_key', 'evaluation_id'])
      .execute();
    await db.schema.createIndex('automation_asset_evaluations_evaluation_idx').on('automation_asset_evaluations').column('evaluation_id').execute();
  },
};
