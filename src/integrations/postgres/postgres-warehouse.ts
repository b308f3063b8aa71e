import { defineResource } from '../../core/asset/resource.js';
import { openSharedWarehouse } from './open-shared-warehouse.js';
import { warehouseLocation } from './warehouse-location.js';
import type { Warehouse } from './warehouse.js';

/**
 * The `warehouse` resource: server Postgres at `SLUICE_WAREHOUSE_URL` when set, otherwise
 * embedded PGlite in `<project>/.sluice/warehouse`. Nothing connects until a step needs it.
 */
export const postgresWarehouse = defineResource<Warehouse>({
  name: 'warehouse',
  secretEnv: ['SLUICE_WAREHOUSE_URL', 'SLUICE_PUBLISH_URL'],
  create: async (env) => openSharedWarehouse(warehouseLocation(env, 'warehouse')),
  close: (warehouse) => warehouse.close(),
});
