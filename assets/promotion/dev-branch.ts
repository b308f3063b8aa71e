import { defineAsset, ensureSchema, postgresWarehouse } from 'sluice';
import { SCHEMAS } from '../lib/warehouse-schemas.js';

/** The write-audit-publish branches: `dev` (written and audited) and `main` (what readers see). */
export const devBranch = defineAsset({
  key: 'dev_branch',
  group: 'promotion',
  kinds: ['postgres'],
  description: 'Ensures the dev and main schemas exist in the warehouse.',
  resources: { warehouse: postgresWarehouse },
  async materialize(ctx) {
    const warehouse = ctx.resources.warehouse;
    await ensureSchema(warehouse, SCHEMAS.dev);
    await ensureSchema(warehouse, SCHEMAS.main);
    return { metadata: { schemas: `${SCHEMAS.dev}, ${SCHEMAS.main}`, warehouse: warehouse.database } };
  },
});
