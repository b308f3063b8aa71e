import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { SluiceError } from '../core/errors.js';
import { projectTemplate } from './project-template.js';
import { SLUICE_ROOT } from './sluice-root.js';

export interface ScaffoldOptions {
  /** What package.json asks for as `sluice`; default `file:` + the running copy's folder. */
  readonly sluiceDependency?: string;
  /** Write into a non-empty folder: files that exist are kept as they are, never overwritten. */
  readonly force?: boolean;
}

export interface ScaffoldResult {
  readonly dir: string;
  /** Paths written, relative to `dir`. */
  readonly created: readonly string[];
  /** Paths that existed and were left alone (with `force`). */
  readonly kept: readonly string[];
  readonly sluiceDependency: string;
}

/** An npm package name from a folder name: lower case, other characters as "-". */
function packageName(dir: string): string {
  const name = basename(dir).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+/, '');
  return name || 'sluice-project';
}

/**
 * Writes a new project into `dir` (created if missing): package.json depending on Sluice,
 * tsconfig.json, one asset with a check and a downstream asset, one schedule, .gitignore, README.
 * Refuses a folder that holds anything unless `force`; even then it never overwrites a file.
 */
export function scaffoldProject(target: string, options: ScaffoldOptions = {}): ScaffoldResult {
  const dir = resolve(target);
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new SluiceError('INIT_NOT_A_FOLDER', `${dir} exists and is not a folder; pick another path`, { dir });
  }
  const entries = existsSync(dir) ? readdirSync(dir) : [];
  if (entries.length > 0 && !options.force) {
    const shown = entries.slice(0, 5).join(', ') + (entries.length > 5 ? `, ... (${entries.length} entries)` : '');
    throw new SluiceError(
      'INIT_FOLDER_NOT_EMPTY',
      `${dir} is not empty (${shown}); pick a new folder, or pass --force to add the project's files that are missing (existing files are kept as they are)`,
      { dir, entries: entries.length },
    );
  }
  const own = JSON.parse(readFileSync(join(SLUICE_ROOT, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
  const devDependencies = Object.fromEntries(
    ['typescript', '@types/node'].filter((name) => own.devDependencies?.[name]).map((name) => [name, own.devDependencies![name]!]),
  );
  const sluiceDependency = options.sluiceDependency ?? `file:${SLUICE_ROOT.replace(/\/$/, '')}`;
  const files = projectTemplate({ name: packageName(dir), dependency: sluiceDependency, devDependencies });
  const created: string[] = [];
  const kept: string[] = [];
  for (const [path, text] of Object.entries(files)) {
    const file = join(dir, path);
    if (existsSync(file)) {
      kept.push(path);
      continue;
    }
    mkdirSync(dirname(file), { recursive: true });
    // 'wx' fails rather than overwrite a file that appeared since the check.
    writeFileSync(file, text, { flag: 'wx' });
    created.push(path);
  }
  return { dir, created, kept, sluiceDependency };
}
