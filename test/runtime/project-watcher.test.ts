import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { watchedRoots, watchProject, type ProjectWatcher } from '../../src/runtime/project-watcher.js';

/** A project folder with assets/, a dbt project and a node_modules folder that must not be watched. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-watch-'));
  mkdirSync(join(dir, 'assets', 'lib'), { recursive: true });
  mkdirSync(join(dir, 'transform', 'models'), { recursive: true });
  writeFileSync(join(dir, 'transform', 'dbt_project.yml'), 'name: t\n');
  mkdirSync(join(dir, 'node_modules', 'pkg'), { recursive: true });
  writeFileSync(join(dir, 'node_modules', 'pkg', 'dbt_project.yml'), 'name: not-mine\n');
  return dir;
}

let watcher: ProjectWatcher | undefined;
const dirs: string[] = [];
afterEach(() => {
  watcher?.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Starts a watcher and returns a function that waits for its next batch of changes. */
function watch(dir: string): () => Promise<string[]> {
  const batches: string[][] = [];
  const waiting: Array<(paths: string[]) => void> = [];
  watcher = watchProject(dir, (paths) => {
    const next = waiting.shift();
    if (next) next(paths);
    else batches.push(paths);
  });
  return () => (batches.length > 0 ? Promise.resolve(batches.shift()!) : new Promise((resolve) => waiting.push(resolve)));
}

describe('watchProject', () => {
  it('watches assets/, schedules/ and dbt projects, not node_modules', () => {
    const dir = project();
    dirs.push(dir);
    mkdirSync(join(dir, 'schedules'));
    expect(watchedRoots(dir)).toEqual([join(dir, 'assets'), join(dir, 'schedules'), join(dir, 'transform')]);
  });

  it('reports changes below the roots in one debounced batch, leaving out dbt output and editor files', { timeout: 60_000 }, async () => {
    const dir = project();
    dirs.push(dir);
    const next = watch(dir);
    // Written first, so a batch that left them in would carry them along with the next change.
    mkdirSync(join(dir, 'transform', 'target'));
    writeFileSync(join(dir, 'transform', 'target', 'manifest.json'), '{}');
    writeFileSync(join(dir, 'assets', 'a.ts.swp'), '');
    writeFileSync(join(dir, 'assets', 'lib', 'helper.ts'), 'export const x = 1;\n');
    writeFileSync(join(dir, 'transform', 'models', 'm.sql'), 'select 1');
    // Usually one batch; two if the machine stalled between the writes.
    const paths = await next();
    if (!paths.includes('transform/models/m.sql')) paths.push(...(await next()));
    expect(paths).toEqual(expect.arrayContaining(['assets/lib/helper.ts', 'transform/models/m.sql']));
    expect(paths.filter((p) => p.includes('target') || p.endsWith('.swp'))).toEqual([]);
  });

  it('follows a schedules/ folder created after it started', { timeout: 60_000 }, async () => {
    const dir = project();
    dirs.push(dir);
    const next = watch(dir);
    mkdirSync(join(dir, 'schedules'));
    expect(await next()).toContain('schedules');
    writeFileSync(join(dir, 'schedules', 'daily.ts'), 'export {};\n');
    expect(await next()).toContain('schedules/daily.ts');
    expect(watcher!.roots()).toContain(join(dir, 'schedules'));
  });
});
