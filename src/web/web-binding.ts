import { SluiceError } from '../core/errors.js';
import { isLoopbackHost } from './auth.js';

export interface WebBinding {
  readonly host: string;
  readonly port: number;
  /** SLUICE_WEB_TOKEN, required off loopback. */
  readonly token: string | undefined;
  readonly loopback: boolean;
}

/** Shortest SLUICE_WEB_TOKEN accepted: guessing 16 random characters is out of reach. */
const MIN_TOKEN = 16;

/**
 * Checks where the dashboard may listen. On a loopback address it may run without a token; on any
 * other address it refuses to start without SLUICE_WEB_TOKEN (exit 2), since anyone who can reach
 * the port could otherwise launch and cancel runs.
 */
export function resolveWebBinding(options: { host: string; port: string | number; token: string | undefined }): WebBinding {
  const host = options.host.trim();
  if (host === '') throw new SluiceError('INVALID_FLAG', '--web-host must not be empty (e.g. 127.0.0.1)', { flag: '--web-host' });
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new SluiceError('INVALID_FLAG', `--web-port must be a port number 0..65535 (got "${options.port}")`, { flag: '--web-port', value: options.port });
  }
  const token = options.token === '' ? undefined : options.token;
  const loopback = isLoopbackHost(host.toLowerCase());
  if (!loopback && token === undefined) {
    throw new SluiceError(
      'WEB_TOKEN_REQUIRED',
      `the dashboard would listen on ${host}, which is not a loopback address, without access control; set SLUICE_WEB_TOKEN to a random secret of at least ${MIN_TOKEN} characters (e.g. \`openssl rand -base64 32\`), or bind to 127.0.0.1`,
      { host },
    );
  }
  if (token !== undefined && token.length < MIN_TOKEN) {
    throw new SluiceError('WEB_TOKEN_TOO_SHORT', `SLUICE_WEB_TOKEN must be at least ${MIN_TOKEN} characters (it has ${token.length}); use e.g. \`openssl rand -base64 32\``, {});
  }
  return { host, port, token, loopback };
}
