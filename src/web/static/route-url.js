// @ts-check
// A route's URL from its contract path (src/web/api-contract.ts), for the pages' client (api.js)
// and the CLI's (src/web/api-client.ts) alike: `:name` is one escaped segment, `:name+` keeps its
// slashes (asset keys) and escapes each segment; a query's lists repeat their name.

/**
 * @param {string} path e.g. `/api/assets/:key+/partitions`
 * @param {Readonly<Record<string, string>>} [params]
 * @param {object} [query] undefined values are left out
 * @returns {string}
 */
export function routeUrl(path, params = {}, query = {}) {
  const filled = path.replace(/:([A-Za-z]+)(\+?)/g, (_, /** @type {string} */ name, /** @type {string} */ rest) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${path} needs the path parameter "${name}"`);
    return rest ? value.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(value);
  });
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) search.append(name, String(one));
  }
  const text = search.toString();
  return text ? `${filled}?${text}` : filled;
}
