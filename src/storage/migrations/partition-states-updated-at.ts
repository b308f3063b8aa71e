import type { Kysely, Migration } from 'kysely';

/**
 * 0014 an index on asset_partitions(updated_at). Adds only.
 *
 * Automation's tracker reads, at every evaluation, the partition states written since its last
 * read (AutomationStorage.partitionStatesSince): with the index that read is as small as what
 * changed, not a scan of every (asset, partition) ever materialized (735,000 rows for 1,000
 * two-year daily assets).
 */
export const partitionStatesUpdatedAt: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.createIndex('asset_partitions_updated_at_idx').on('asset_partitions').column('updated_at').execute();
  },
};
