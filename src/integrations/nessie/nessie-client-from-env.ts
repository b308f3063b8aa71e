import { SluiceError } from '../../core/errors.js';
import { NessieClient } from './nessie-client.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * A NessieClient configured from the environment: `SLUICE_NESSIE_URL` (the v2 API root, e.g.
 * `http://localhost:19120/api/v2`) and, when the server requires authentication,
 * `SLUICE_NESSIE_TOKEN` (a bearer token; a secret, redacted everywhere). Throws
 * NESSIE_NOT_CONFIGURED naming `resource` when the URL is missing. Connects to nothing.
 */
export function nessieClientFromEnv(env: Env, resource = 'nessie'): NessieClient {
  const url = env.SLUICE_NESSIE_URL?.trim();
  if (!url) {
    throw new SluiceError(
      'NESSIE_NOT_CONFIGURED',
      `resource "${resource}" is not configured: set SLUICE_NESSIE_URL to the Nessie REST API v2 root (e.g. http://localhost:19120/api/v2), and SLUICE_NESSIE_TOKEN if the server requires a bearer token`,
      { resource },
    );
  }
  const token = env.SLUICE_NESSIE_TOKEN?.trim();
  return new NessieClient({ url, ...(token ? { token } : {}) });
}
