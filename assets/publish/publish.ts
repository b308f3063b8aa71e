import { copyTables, defineAsset, postgresWarehouse, publishTarget } from 'sluice';
import { MART_TABLES } from '../lib/marts.js';
import { SCHEMAS } from '../lib/warehouse-schemas.js';
import { promoteDevToMain } from '../promotion/promote-dev-to-main.js';

/**
 * Copies the marts from main into the `marts` schema of the publish database (SLUICE_PUBLISH_URL,
 * default the warehouse) as plain tables a dashboard tool can query, all in one transaction there.
 */
export const publish = defineAsset({
  key: 'publish',
  group: 'publish',
  kinds: ['postgres'],
  deps: [promoteDevToMain],
  description: 'Publishes the marts of main (daily_glucose) as plain tables in the marts schema of the publish target.',
  resources: { warehouse: postgresWarehouse, publish: publishTarget },
  async materialize(ctx) {
    const result = await copyTables(ctx.resources.warehouse, ctx.resources.publish, {
      fromSchema: SCHEMAS.main,
      toSchema: SCHEMAS.marts,
      tables: MART_TABLES,
      signal: ctx.signal,
    });
    ctx.log.info({ tables: result.tables }, 'marts published');
    const rows = Object.fromEntries(result.tables.map((table) => [`${table.name}_rows`, table.rows]));
    return { metadata: { rows: result.tables.reduce((sum, t) => sum + t.rows, 0), ...rows, target: ctx.resources.publish.database } };
  },
});
