import { defineAsset, nessiePromote, postgresWarehouse, promoteSchema } from 'sluice';
import { nessieLakehouse } from '../lib/nessie-lakehouse.js';
import { SCHEMAS } from '../lib/warehouse-schemas.js';
import { branchStatusAsset } from '../quality/branch-status.js';

/**
 * Promotes every table of the dev branch to main in one transaction (readers of main see all old
 * or all new tables and are not blocked while data is copied). Downstream of branch_status and its
 * blocking checks: in a run, a failing check skips it; a later run that leaves the audited assets
 * out is refused while their latest blocking check failed (`--allow-failed-checks` overrides).
 *
 * With a Nessie catalog configured, Nessie's `dev` is first merged into its `main` in one commit
 * (nessiePromote). The merge goes first because it is the part that can be refused by others (main
 * changed the same tables since dev forked): then nothing is promoted anywhere. A failure after
 * it is safe to retry: the merge is then a no-op and the schema promotion runs again.
 */
export const promoteDevToMain = defineAsset({
  key: 'promote_dev_to_main',
  group: 'promotion',
  kinds: ['postgres'],
  deps: [branchStatusAsset],
  description: 'Atomically promotes every table of the dev branch to main, once the audit passed (and merges Nessie dev into main when configured).',
  resources: { warehouse: postgresWarehouse, nessie: nessieLakehouse },
  async materialize(ctx) {
    const { nessie } = ctx.resources;
    const merged = !nessie ? undefined : await nessiePromote(nessie.client, { from: nessie.dev, to: nessie.main, message: `Sluice run ${ctx.run.id}: promote ${nessie.dev} into ${nessie.main}` });
    if (merged) ctx.log.info({ merged: merged.merged, hash: merged.hash, commits: merged.commits.length }, `Nessie ${merged.from} merged into ${merged.to}`);
    const result = await promoteSchema(ctx.resources.warehouse, { from: SCHEMAS.dev, to: SCHEMAS.main });
    ctx.log.info({ tables: result.tables }, 'dev promoted to main');
    const rows = Object.fromEntries(result.tables.map((table) => [`${table.name}_rows`, table.rows]));
    return { metadata: { tables: { json: result.tables }, ...rows, ...merged?.metadata } };
  },
});
