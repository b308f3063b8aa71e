import { SluiceError } from '../../core/errors.js';
import { openPgliteWarehouse } from './open-pglite-warehouse.js';
import type { WarehouseLocation } from './warehouse-location.js';
import type { Warehouse, WarehouseQuery } from './warehouse.js';

interface Entry {
  refs: number;
  readonly opening: Promise<Warehouse>;
}

/** Open clients by location, shared by every resource of this process that points there. */
const entries = new Map<string, Entry>();
/** Clients being closed, so that a reopen of the same PGlite directory waits for the close. */
const closing = new Map<string, Promise<void>>();

/**
 * A handle on the process-wide client for `location`: the first call opens it, later calls share
 * it (a PGlite directory cannot be opened twice), and the client closes when the last handle's
 * close() runs. Each handle's close() is idempotent.
 */
export async function openSharedWarehouse(location: WarehouseLocation): Promise<Warehouse> {
  const key = location.kind === 'postgres' ? `postgres:${location.url}` : `pglite:${location.dataDir}`;
  let entry = entries.get(key);
  if (!entry) {
    const previousClose = closing.get(key) ?? Promise.resolve();
    entry = { refs: 0, opening: previousClose.then(() => open(location)) };
    entries.set(key, entry);
  }
  const current = entry;
  current.refs++;
  let shared: Warehouse;
  try {
    shared = await current.opening;
  } catch (error) {
    if (--current.refs === 0 && entries.get(key) === current) entries.delete(key);
    throw error;
  }
  let released: Promise<void> | undefined;
  const usable = () => {
    if (released) throw new SluiceError('WAREHOUSE_CLOSED', `warehouse ${shared.database} was used after close()`, {
      database: shared.database,
    }, { kind: 'internal' });
  };
  return {
    database: shared.database,
    query: (async (sql: string, params?: readonly unknown[]) => {
      usable();
      return shared.query(sql, params);
    }) as WarehouseQuery,
    async transaction(fn) {
      usable();
      return shared.transaction(fn);
    },
    close() {
      released ??= (async () => {
        if (--current.refs > 0) return;
        if (entries.get(key) === current) entries.delete(key);
        const done = shared.close().finally(() => {
          if (closing.get(key) === done) closing.delete(key);
        });
        closing.set(key, done);
        await done;
      })();
      return released;
    },
  };
}

/** The `pg` driver is loaded only for a server warehouse (an embedded project never pays for it). */
async function open(location: WarehouseLocation): Promise<Warehouse> {
  if (location.kind !== 'postgres') return openPgliteWarehouse({ dataDir: location.dataDir });
  const { pgWarehouse } = await import('./pg-warehouse.js');
  return pgWarehouse({ connectionString: location.url });
}
