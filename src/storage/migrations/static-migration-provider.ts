import type { Migration, MigrationProvider } from 'kysely';
import { initialSchema } from './initial-schema.js';
import { locksHeartbeatsLeases } from './locks-heartbeats-leases.js';
import { runCounters } from './run-counters.js';
import { schedulesTicks } from './schedules-ticks.js';
import { assetCursors } from './asset-cursors.js';
import { partitionsBackfills } from './partitions-backfills.js';
import { multiAssetSteps } from './multi-asset-steps.js';
import { sensors } from './sensors.js';
import { automation } from './automation.js';
import { alerts } from './alerts.js';
import { assetObservations } from './asset-observations.js';
import { freshness } from './freshness.js';
import { partitionStatesUpdatedAt } from './partition-states-updated-at.js';

/** Every migration, in order. Names sort lexically; never rename or reorder a released one. */
const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_initial_schema': initialSchema,
  '0002_locks_heartbeats_leases': locksHeartbeatsLeases,
  '0003_run_counters': runCounters,
  '0004_schedules_ticks': schedulesTicks,
  '0006_asset_cursors': assetCursors,
  '0007_partitions_backfills': partitionsBackfills,
  '0008_multi_asset_steps': multiAssetSteps,
  '0009_sensors': sensors,
  '0010_automation': automation,
  '0011_alerts': alerts,
  '0012_asset_observations': assetObservations,
  '0013_freshness': freshness,
  '0014_partition_states_updated_at': partitionStatesUpdatedAt,
};

/** The names of every migration, in order. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(MIGRATIONS);

/**
 * Every migration's name and code: what a store migrated from scratch depends on. A template of
 * migrated stores (storage/pglite/create-pglite.ts) serves only stores with the same key, so a
 * migration edited under its name (before its release) never hides behind an older dump.
 */
export function migrationsKey(): string {
  return MIGRATION_NAMES.map((name) => `${name}\n${String(MIGRATIONS[name]!.up)}\n${String(MIGRATIONS[name]!.down ?? '')}`).join('\n');
}

/**
 * The migrations as code (no filesystem scanning, so it works from any install layout). Each runs
 * against `db.withSchema(schema)`, so its tables land in the schema chosen at open.
 */
export class StaticMigrationProvider implements MigrationProvider {
  readonly #schema: string;

  constructor(schema: string) {
    this.#schema = schema;
  }

  async getMigrations(): Promise<Record<string, Migration>> {
    const schema = this.#schema;
    return Object.fromEntries(
      Object.entries(MIGRATIONS).map(([name, migration]) => [
        name,
        {
          up: (db) => migration.up(db.withSchema(schema)),
          ...(migration.down ? { down: (db) => migration.down!(db.withSchema(schema)) } : {}),
        } satisfies Migration,
      ]),
    );
  }
}
