import { SluiceError } from '../../core/errors.js';

/**
 * The Nessie REST API v2 root from a configured URL, without a trailing slash. Nessie serves v2
 * under `/api/v2` (`HttpTreeApi` is `@Path("v2/trees")` below the server's `/api` root), so a bare
 * server URL (`http://host:19120`) or the `/api` root gets `/v2` completed; any other path is kept,
 * for servers behind a proxy. A v1 URL, a non-HTTP URL or one with credentials in it is an input
 * error: the token belongs in SLUICE_NESSIE_TOKEN, where it is redacted.
 */
export function nessieEndpoint(raw: string, variable = 'SLUICE_NESSIE_URI'): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw invalid(variable, `${JSON.stringify(raw)} is not a URL`, 'http://localhost:19120/api/v2');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid(variable, `the scheme is ${url.protocol.replace(/:$/, '')}, not http or https`, 'http://localhost:19120/api/v2');
  }
  if (url.username || url.password) {
    throw new SluiceError(
      'NESSIE_INVALID_URL',
      `${variable} must not carry credentials: remove them from the URL and put the bearer token in SLUICE_NESSIE_TOKEN`,
      { variable },
    );
  }
  if (url.search || url.hash) throw invalid(variable, 'it has a query or fragment', `${url.origin}${url.pathname}`);
  let path = url.pathname.replace(/\/+$/, '');
  if (/\/api\/v1$/.test(path)) throw invalid(variable, 'it points at the v1 API; Sluice speaks Nessie REST API v2', `${url.origin}${path.replace(/v1$/, 'v2')}`);
  if (path === '') path = '/api/v2';
  else if (/\/api$/.test(path)) path = `${path}/v2`;
  return `${url.origin}${path}`;
}

function invalid(variable: string, why: string, example: string): SluiceError {
  return new SluiceError('NESSIE_INVALID_URL', `${variable} is not a usable Nessie URL: ${why}; set it like ${example}`, { variable });
}
