import { join, resolve } from 'node:path';
import { SluiceError } from '../../core/errors.js';

/** Where a warehouse lives: a server Postgres URL, or an embedded PGlite data directory. */
export type WarehouseLocation =
  | { readonly kind: 'postgres'; readonly url: string }
  | { readonly kind: 'pglite'; readonly dataDir: string };

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The example warehouse's location from the environment: `SLUICE_WAREHOUSE_URL` when set,
 * otherwise PGlite in `${SLUICE_PROJECT}/.sluice/warehouse`. Throws WAREHOUSE_NOT_CONFIGURED
 * naming `resource` when neither is set.
 */
export function warehouseLocation(env: Env, resource = 'warehouse'): WarehouseLocation {
  const url = env.SLUICE_WAREHOUSE_URL?.trim();
  if (url) return { kind: 'postgres', url };
  const project = env.SLUICE_PROJECT?.trim();
  if (project) return { kind: 'pglite', dataDir: join(resolve(project), '.sluice', 'warehouse') };
  throw new SluiceError(
    'WAREHOUSE_NOT_CONFIGURED',
    `resource "${resource}" is not configured: set SLUICE_WAREHOUSE_URL to a Postgres URL, or run it inside a Sluice project (SLUICE_PROJECT) to use the embedded PGlite warehouse in <project>/.sluice/warehouse`,
    { resource },
  );
}

/** The publish target: `SLUICE_PUBLISH_URL` when set, otherwise the warehouse itself. */
export function publishLocation(env: Env): WarehouseLocation {
  const url = env.SLUICE_PUBLISH_URL?.trim();
  return url ? { kind: 'postgres', url } : warehouseLocation(env, 'publish');
}
