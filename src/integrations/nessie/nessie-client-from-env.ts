import { SluiceError } from '../../core/errors.js';
import { NessieClient } from './nessie-client.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The configured Nessie REST API v2 root and the variable it came from: `SLUICE_NESSIE_URI`, or
 * its older name `SLUICE_NESSIE_URL` (still read; the new name wins when both are set).
 */
export function nessieUriFromEnv(env: Env): { uri: string; variable: string } | undefined {
  for (const variable of ['SLUICE_NESSIE_URI', 'SLUICE_NESSIE_URL']) {
    const uri = env[variable]?.trim();
    if (uri) return { uri, variable };
  }
  return undefined;
}

/** Whether the environment names a Nessie server (`SLUICE_NESSIE_URI` or `SLUICE_NESSIE_URL`). */
export function nessieConfigured(env: Env): boolean {
  return nessieUriFromEnv(env) !== undefined;
}

/**
 * A NessieClient configured from the environment: `SLUICE_NESSIE_URI` (the v2 API root, e.g.
 * `http://localhost:19120/api/v2`; `SLUICE_NESSIE_URL` is an alias) and, when the server requires
 * authentication, `SLUICE_NESSIE_TOKEN` (a bearer token; a secret, redacted everywhere). Throws
 * NESSIE_NOT_CONFIGURED naming `resource` when neither is set. Connects to nothing.
 */
export function nessieClientFromEnv(env: Env, resource = 'nessie'): NessieClient {
  const configured = nessieUriFromEnv(env);
  if (!configured) {
    throw new SluiceError(
      'NESSIE_NOT_CONFIGURED',
      `resource "${resource}" is not configured: set SLUICE_NESSIE_URI to the Nessie REST API v2 root (e.g. http://localhost:19120/api/v2), and SLUICE_NESSIE_TOKEN if the server requires a bearer token`,
      { resource },
    );
  }
  const token = env.SLUICE_NESSIE_TOKEN?.trim();
  return new NessieClient({ url: configured.uri, variable: configured.variable, ...(token ? { token } : {}) });
}
