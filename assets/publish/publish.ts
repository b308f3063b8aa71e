import { copyTables, defineAsset, postgresWarehouse, publishTarget } from 'sluice';
import { SCHEMAS } from '../lib/warehouse-schemas.js';
import { promoteDevToMain } from '../promotion/promote-dev-to-main.js';

/** Copies main.daily_glucose to marts.daily_glucose on the publish target (a plain table). */
export const publish = defineAsset({
  key: 'publish',
  group: 'publish',
  kinds: ['postgres'],
  deps: [promoteDevToMain],
  description: 'Publishes main.daily_glucose as marts.daily_glucose on the publish target.',
  resources: { warehouse: postgresWarehouse, publish: publishTarget },
  async materialize(ctx) {
    const result = await copyTables(ctx.resources.warehouse, ctx.resources.publish, {
      fromSchema: SCHEMAS.main,
      toSchema: SCHEMAS.marts,
      tables: ['daily_glucose'],
      signal: ctx.signal,
    });
    const rows = result.tables[0]!.rows;
    ctx.log.info({ rows }, 'daily glucose published');
    return { metadata: { rows, target: ctx.resources.publish.database } };
  },
});
