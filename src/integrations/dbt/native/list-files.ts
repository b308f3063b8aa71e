import { existsSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * Files under `<projectDir>/<folder>` whose names end with one of `extensions`, as paths relative to
 * projectDir with `/` separators, sorted (so ids and errors do not depend on the file system's
 * order). Hidden entries (`.x`) and folders listed in `skip` (relative paths) are left out; a
 * missing folder has no files.
 */
export function listFiles(projectDir: string, folder: string, extensions: readonly string[], skip: readonly string[] = []): string[] {
  const root = join(projectDir, folder);
  if (!existsSync(root)) return [];
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      const rel = relative(projectDir, path).split(sep).join('/');
      if (entry.isDirectory()) {
        if (!skip.includes(rel)) walk(path);
      } else if (extensions.some((ext) => entry.name.endsWith(ext))) found.push(rel);
    }
  };
  walk(root);
  return found.sort();
}
