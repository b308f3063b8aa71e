import { defineAsset, ensureBranch, ensureSchema, postgresWarehouse } from 'sluice';
import { SCHEMAS } from '../lib/warehouse-schemas.js';

/**
 * The write-audit-publish branches: `main` (what readers see) and `dev` (written by ingest and
 * transforms, audited by checks), created from main's tables when missing.
 */
export const devBranch = defineAsset({
  key: 'dev_branch',
  group: 'promotion',
  kinds: ['postgres'],
  description: 'Ensures the main schema exists and the dev branch exists (created from main when missing).',
  resources: { warehouse: postgresWarehouse },
  async materialize(ctx) {
    const warehouse = ctx.resources.warehouse;
    await ensureSchema(warehouse, SCHEMAS.main);
    const branch = await ensureBranch(warehouse, { branch: SCHEMAS.dev, from: SCHEMAS.main });
    if (branch.created) ctx.log.info({ tables: branch.tables }, 'dev branch created from main');
    return {
      metadata: {
        branch: SCHEMAS.dev,
        main: SCHEMAS.main,
        created: branch.created,
        tables_copied: { json: branch.tables },
        warehouse: warehouse.database,
      },
    };
  },
});
