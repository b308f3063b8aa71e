// The dashboard's client of the JSON API (src/web/api-contract.ts is the contract it follows).
// Every write carries the X-Sluice-CSRF header the server requires of browser requests.

/** @param {string} path @param {{ method?: string, body?: unknown }} [options] */
export async function api(path, options = {}) {
  const method = options.method ?? 'GET';
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: {
      accept: 'application/json',
      ...(method === 'GET' ? {} : { 'x-sluice-csrf': '1' }),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  if (res.status === 401) {
    location.href = `/login?next=${encodeURIComponent(location.pathname + location.hash)}`;
    throw new ApiError(401, 'UNAUTHORIZED', 'log in first');
  }
  const body = await res.json().catch(() => ({ error: { code: 'BAD_RESPONSE', message: `HTTP ${res.status}` } }));
  if (!res.ok) throw new ApiError(res.status, body.error?.code ?? 'ERROR', body.error?.message ?? `HTTP ${res.status}`);
  return body;
}

export class ApiError extends Error {
  /** @param {number} status @param {string} code @param {string} message */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Encodes an asset key for a path: slashes stay readable, everything else is escaped. */
export function keyPath(key) {
  return key.split('/').map(encodeURIComponent).join('/');
}
