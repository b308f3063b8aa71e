import type { Kysely, Migration } from 'kysely';

/**
 * 0013 freshness. Adds only.
 *
 * freshness_states   PK (asset_key, kind, partition_key): the current verdict of each freshness
 *                    policy ('freshness': lag) and deadline ('deadline') per partition ('' = the
 *                    asset as a whole): level PASS/WARN/FAIL, the open violation's key, since when.
 *                    Moved by compare-and-set on (level, violation_key), so of two checkers one writes.
 * freshness_results  one row per change of a verdict (violations and recoveries): the check-like
 *                    history the asset page shows. (asset_key, id) serves it; the first row of
 *                    an (asset, kind) is when this store first checked it.
 */
export const freshness: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('freshness_states')
      .addColumn('asset_key', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('partition_key', 'text', (c) => c.notNull())
      .addColumn('level', 'text', (c) => c.notNull())
      .addColumn('violation_key', 'text')
      .addColumn('about', 'timestamptz')
      .addColumn('deadline', 'timestamptz')
      .addColumn('lag_minutes', 'double precision')
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('since', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('freshness_states_pk', ['asset_key', 'kind', 'partition_key'])
      .execute();
    await db.schema
      .createTable('freshness_results')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('asset_key', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('partition_key', 'text', (c) => c.notNull())
      .addColumn('level', 'text', (c) => c.notNull())
      .addColumn('violation_key', 'text')
      .addColumn('recovers', 'text')
      .addColumn('about', 'timestamptz')
      .addColumn('deadline', 'timestamptz')
      .addColumn('lag_minutes', 'double precision')
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('freshness_results_asset_idx').on('freshness_results').columns(['asset_key', 'id']).execute();
  },
};
