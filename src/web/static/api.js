// @ts-check
// The dashboard's client of the JSON API, typed from the contract (src/web/api-contract.ts): pages
// call routes by name (`call('getRun', { params: { id } })`), their input and answer checked by
// `npm run typecheck` (tsconfig.static.json). Every write carries the X-Sluice-CSRF header the
// server requires of browser requests.
import { ROUTES } from './api-routes.js';
import { routeUrl } from './route-url.js';

/** @typedef {import('../api-contract.js').JsonRouteName} JsonRouteName */

/**
 * @template {JsonRouteName} K
 * @param {K} name
 * @param {import('../api-client.js').CallInput<K>} [input]
 * @returns {Promise<import('../api-contract.js').RouteResponse<K>>}
 */
export function call(name, input) {
  const route = ROUTES[name];
  return api(routeUrl(route.path, input?.params, /** @type {object | undefined} */ (input?.query)), { method: route.method, body: input?.body });
}

/**
 * A request by path, for what the contract does not type (the router's session and project polls use `call`).
 * @param {string} path
 * @param {{ method?: string, body?: unknown }} [options]
 * @returns {Promise<any>}
 */
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

/**
 * Encodes an asset key for a page's hash route: slashes stay readable, everything else is escaped.
 * @param {string} key
 */
export function keyPath(key) {
  return key.split('/').map(encodeURIComponent).join('/');
}
