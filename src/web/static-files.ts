import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** The dashboard's pages: plain ES modules, HTML and CSS under src/web/static, read once at start (nothing is fetched at run time). */
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
  return files;
}
