import { defineResource } from '../../core/asset/resource.js';
import { openSharedWarehouse } from './open-shared-warehouse.js';
import { publishLocation } from './warehouse-location.js';
import type { Warehouse } from './warehouse.js';

/**
 * The `publish` resource: server Postgres at `SLUICE_PUBLISH_URL` when set, otherwise the same
 * client as the `warehouse` resource (shared, so one PGlite directory is opened once).
 */
export const publishTarget = defineResource<Warehouse>({
  name: 'publish',
  secretEnv: ['SLUICE_PUBLISH_URL', 'SLUICE_WAREHOUSE_URL'],
  create: async (env) => openSharedWarehouse(publishLocation(env)),
  close: (warehouse) => warehouse.close(),
});
