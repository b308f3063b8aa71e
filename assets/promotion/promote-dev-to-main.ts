import { defineAsset, postgresWarehouse, promoteSchema } from 'sluice';
import { dailyGlucose } from '../dbt/daily-glucose.js';
import { rawEntries } from '../ingest/raw-entries.js';
import { SCHEMAS } from '../lib/warehouse-schemas.js';

/** The tables the pipeline writes to dev and readers use in main. */
export const PROMOTED_TABLES = Object.freeze(['raw_entries', 'daily_glucose']);

/** Replaces main's tables with dev's audited copies in one transaction (runs only if checks pass). */
export const promoteDevToMain = defineAsset({
  key: 'promote_dev_to_main',
  group: 'promotion',
  kinds: ['postgres'],
  deps: [dailyGlucose, rawEntries],
  description: 'Atomically promotes dev.raw_entries and dev.daily_glucose to main.',
  resources: { warehouse: postgresWarehouse },
  async materialize(ctx) {
    const result = await promoteSchema(ctx.resources.warehouse, { from: SCHEMAS.dev, to: SCHEMAS.main, tables: PROMOTED_TABLES });
    ctx.log.info({ tables: result.tables }, 'dev promoted to main');
    const rows = Object.fromEntries(result.tables.map((table) => [`${table.name}_rows`, table.rows]));
    return { metadata: { tables: { json: result.tables }, ...rows } };
  },
});
