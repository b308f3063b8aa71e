import { existsSync, readdirSync, watch, type FSWatcher } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Watches the files a project's definitions come from and reports changes, debounced. */
export interface ProjectWatcher {
  /** The folders watched (recursively), absolute. */
  roots(): string[];
  close(): void;
}

const DBT_OUTPUT = new Set(['target', 'logs', 'dbt_packages']);
const EDITOR_LEFTOVER = /(~|\.swp|\.swx|\.tmp)$|^4913$|^\.#/;

/**
 * The folders whose changes reload definitions: `assets/`, `schedules/`, and each dbt project (a
 * folder holding dbt_project.yml) within two levels of the project folder, outside node_modules and
 * dot folders.
 */
export function watchedRoots(dir: string): string[] {
  const roots = ['assets', 'schedules'].map((name) => join(dir, name)).filter((path) => existsSync(path));
  const look = (folder: string, depth: number) => {
    if (existsSync(join(folder, 'dbt_project.yml'))) {
      if (!roots.some((root) => folder === root || folder.startsWith(root + sep))) roots.push(folder);
      return;
    }
    if (depth === 0) return;
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules') look(join(folder, entry.name), depth - 1);
    }
  };
  look(dir, 2);
  return roots;
}

/** Whether a changed path (relative to its watched root) can change what loads. */
function relevant(path: string, isDbtRoot: boolean): boolean {
  const parts = path.split(sep);
  if (parts.some((part) => part.startsWith('.') || part === 'node_modules')) return false;
  if (isDbtRoot && DBT_OUTPUT.has(parts[0]!)) return false;
  return !EDITOR_LEFTOVER.test(parts.at(-1) ?? '');
}

/**
 * Watches every root of `watchedRoots(dir)` recursively (node:fs watch; recursive on Linux since
 * Node 20), and the project folder itself for roots that appear or are replaced. After a change,
 * `onChange` is called with the changed paths (relative to `dir`) once no further change came for
 * `debounceMs` (an editor's save is often several events; a git checkout many).
 */
export function watchProject(
  dir: string,
  onChange: (paths: string[]) => void,
  options: { debounceMs?: number; onError?: (error: Error, root: string) => void } = {},
): ProjectWatcher {
  const debounceMs = options.debounceMs ?? 150;
  const watchers = new Map<string, FSWatcher>();
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const changed = (path: string) => {
    if (closed) return;
    pending.add(relative(dir, path));
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      const paths = [...pending].sort();
      pending.clear();
      onChange(paths);
    }, debounceMs);
  };

  const arm = (root: string) => {
    watchers.get(root)?.close();
    watchers.delete(root);
    if (!existsSync(root)) return;
    const isDbtRoot = existsSync(join(root, 'dbt_project.yml'));
    try {
      const watcher = watch(root, { recursive: true }, (_event, name) => {
        if (name !== null && relevant(String(name), isDbtRoot)) changed(join(root, String(name)));
      });
      watcher.on('error', (error) => {
        // The folder went away (deleted or replaced): the project folder's watcher re-arms it.
        watchers.get(root)?.close();
        watchers.delete(root);
        options.onError?.(error, root);
      });
      watchers.set(root, watcher);
    } catch (error) {
      options.onError?.(error as Error, root);
    }
  };

  const rescan = () => {
    const roots = watchedRoots(dir);
    for (const root of [...watchers.keys()]) if (!roots.includes(root)) arm(root);
    for (const root of roots) if (!watchers.has(root)) arm(root);
  };

  for (const root of watchedRoots(dir)) arm(root);
  const top = watch(dir, (_event, name) => {
    if (name === null || String(name).startsWith('.') || String(name) === 'node_modules') return;
    const path = join(dir, String(name));
    // assets/ or schedules/ created, removed or replaced (a checkout), or a new dbt project.
    if (['assets', 'schedules'].includes(String(name)) || existsSync(join(path, 'dbt_project.yml')) || watchers.has(path)) {
      arm(path);
      rescan();
      changed(path);
    }
  });
  top.on('error', (error) => options.onError?.(error, dir));

  return {
    roots: () => [...watchers.keys()].sort(),
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      top.close();
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
