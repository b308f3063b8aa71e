import { defineResource } from '../../core/asset/resource.js';
import type { NessieClient } from './nessie-client.js';
import { nessieClientFromEnv } from './nessie-client-from-env.js';

/**
 * The `nessie` resource: a Nessie REST API v2 client for teams whose tables live in a Nessie
 * catalog, so the dev -> main promotion runs as a Nessie merge (see nessiePromote). Configured by
 * `SLUICE_NESSIE_URI` (alias `SLUICE_NESSIE_URL`) and the secret `SLUICE_NESSIE_TOKEN`; nothing
 * connects until a step calls it.
 */
export const nessieCatalog = defineResource<NessieClient>({
  name: 'nessie',
  secretEnv: ['SLUICE_NESSIE_TOKEN'],
  create: (env) => nessieClientFromEnv(env, 'nessie'),
});
