import { sql, type Kysely, type Migration } from 'kysely';

/**
 * 0008 multi-asset steps: `run_steps.asset_keys`, the asset keys a multi-asset's step materializes
 * (null for a step of one asset or one check, whose key is `asset_key`). Adds only. startStep locks
 * every (key, partition) of the step or none; finishStep releases them all; the materializations,
 * asset_partitions, cursors and check results of its keys are written as the step reports them.
 */
export const multiAssetSteps: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('run_steps').addColumn('asset_keys', sql`text[]`).execute();
  },
};
