import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { dbtCliRunner } from './dbt-cli-runner.js';
import type { DbtRunner } from './dbt-project.js';
import { nativeRunner } from './native/native-runner.js';

/** Whether an executable named `name` is on `path` (the PATH variable's value). */
export function onPath(name: string, path = process.env.PATH ?? ''): boolean {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}

/**
 * The runner dbtAssets uses when none is given: the dbt CLI when a `dbt` executable is on PATH,
 * else the native runner (Sluice runs the project's SQL itself, for its documented subset).
 * Decided when the project is loaded, so every step of a process uses the same one.
 */
export function defaultDbtRunner(path = process.env.PATH ?? ''): DbtRunner {
  return onPath('dbt', path) ? dbtCliRunner() : nativeRunner();
}
