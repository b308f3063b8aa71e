import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiContract } from './api-contract.js';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface StaticFile {
  readonly body: Buffer;
  readonly type: string;
}

/**
 * The dashboard's pages: plain ES modules, HTML and CSS under src/web/static, read once at start
 * (nothing is fetched at run time), and the contract's routes as a module (`/api-routes.js`).
 */
export function loadStaticFiles(dir = fileURLToPath(new URL('./static/', import.meta.url))): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (sub: string) => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else if (TYPES[extname(entry.name)]) files.set(`/${rel}`, { body: readFileSync(join(dir, rel)), type: TYPES[extname(entry.name)]! });
    }
  };
  walk('');
  files.set('/api-routes.js', { body: Buffer.from(routesModule()), type: TYPES['.js']! });
  return files;
}

/** `/static/api-routes.js`: each route's method and path from the contract, for the pages' `call` (api.js). */
function routesModule(): string {
  const routes = Object.fromEntries(Object.entries(apiContract).map(([name, spec]) => [name, { method: spec.method, path: spec.path }]));
  return `// Written by the server from src/web/api-contract.ts.\nexport const ROUTES = ${JSON.stringify(routes, null, 2)};\n`;
}
