import { copyFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { cacheDir } from '../../core/cache-dir.js';

const FILE = 'partial_parse.msgpack';

/** The per-user cache folder of one dbt project (by its absolute path). */
export function projectCacheDir(projectDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const id = createHash('sha256').update(projectDir).digest('hex').slice(0, 16);
  return join(cacheDir(env, homedir()), 'dbt', id);
}

/**
 * Copies the project's last partial parse into an invocation's fresh target folder, so dbt re-parses
 * only what changed (dbt itself checks that the project, profile and vars still match, and parses
 * in full otherwise). Returns whether there was one.
 */
export function seedPartialParse(projectDir: string, targetPath: string): boolean {
  const cached = join(projectCacheDir(projectDir), FILE);
  if (!existsSync(cached)) return false;
  try {
    copyFileSync(cached, join(targetPath, FILE));
    return true;
  } catch {
    return false;
  }
}

/**
 * Keeps the partial parse an invocation wrote for the next one: copied next to the cached one under
 * a unique name, then renamed over it, so two invocations finishing at once never leave half a file
 * (the later one wins; either is a valid parse).
 */
export function keepPartialParse(projectDir: string, targetPath: string): void {
  const written = join(targetPath, FILE);
  if (!existsSync(written)) return;
  const dir = projectCacheDir(projectDir);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const partial = join(dir, `${FILE}.${process.pid}.${Date.now()}.partial`);
    copyFileSync(written, partial);
    renameSync(partial, join(dir, FILE));
  } catch {
    // A cache that cannot be written only costs the next invocation a full parse.
  }
}
