import { copyTables, defineAsset, postgresWarehouse, publishTarget } from 'sluice';
import { MART_TABLES } from '../lib/marts.js';
import { SCHEMAS } from '../lib/warehouse-schemas.js';
import { promoteDevToMain } from '../promotion/promote-dev-to-main.js';

/**
 * Copies the marts from main into the `marts` schema of the publish database (SLUICE_PUBLISH_URL,
 * default the warehouse) as plain tables a dashboard tool can query, all in one transaction there.
 * Consumers read them from 06:30 London time: the deadline says so, and the daemon checks it while
 * the 06:00 promotion is still running (a run still going at 06:30 raises freshness_violation
 * then, for schedules/promotion_alerts.ts, not when it ends).
 */
export const publish = defineAsset({
  key: 'publish',
  group: 'publish',
  kinds: ['postgres'],
  deps: [promoteDevToMain],
  description: 'Publishes the marts of main (daily_glucose) as plain tables in the marts schema of the publish target.',
  resources: { warehouse: postgresWarehouse, publish: publishTarget },
  // A materialization after yesterday's 06:30 must have landed by 06:30 today; WARN from 06:15.
  deadline: { cron: '30 6 * * *', timezone: 'Europe/London', warnBeforeMinutes: 15 },
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
