import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createPglite } from '../../storage/pglite/create-pglite.js';
import { pgliteWarehouse } from './pglite-warehouse.js';
import type { Warehouse } from './warehouse.js';

let memoryInstances = 0;

/**
 * Opens an embedded PGlite warehouse: persisted in `dataDir` (created if missing), or in memory
 * when `dataDir` is omitted. A data directory can be open only once at a time in a process: share
 * it through `openSharedWarehouse`.
 */
export async function openPgliteWarehouse(options: { dataDir?: string } = {}): Promise<Warehouse> {
  if (options.dataDir === undefined) {
    const db = await createPglite(undefined);
    return pgliteWarehouse(db, { database: `pglite:memory:${++memoryInstances}` });
  }
  const dataDir = resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const db = await createPglite(dataDir);
  return pgliteWarehouse(db, { database: `pglite:${dataDir}` });
}
