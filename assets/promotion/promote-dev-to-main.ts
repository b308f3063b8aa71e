import { defineAsset, postgresWarehouse, promoteSchema } from 'sluice';
import { SCHEMAS } from '../lib/warehouse-schemas.js';
import { branchStatusAsset } from '../quality/branch-status.js';

/**
 * Promotes every table of the dev branch to main in one transaction (readers of main see all old
 * or all new tables and are not blocked while data is copied). Downstream of branch_status and its
 * blocking checks: in a run, a failing check skips it; a later run that leaves the audited assets
 * out is refused while their latest blocking check failed (`--allow-failed-checks` overrides).
 */
export const promoteDevToMain = defineAsset({
  key: 'promote_dev_to_main',
  group: 'promotion',
  kinds: ['postgres'],
  deps: [branchStatusAsset],
  description: 'Atomically promotes every table of the dev branch to main, once the audit passed.',
  resources: { warehouse: postgresWarehouse },
  async materialize(ctx) {
    const result = await promoteSchema(ctx.resources.warehouse, { from: SCHEMAS.dev, to: SCHEMAS.main });
    ctx.log.info({ tables: result.tables }, 'dev promoted to main');
    const rows = Object.fromEntries(result.tables.map((table) => [`${table.name}_rows`, table.rows]));
    return { metadata: { tables: { json: result.tables }, ...rows } };
  },
});
