import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { StepLogger } from '../../../../src/core/asset/logger.js';
import { loadDbtProjectFromFiles } from '../../../../src/integrations/dbt/native/load-project-files.js';
import { nativeRunner, type NativeRunnerOptions } from '../../../../src/integrations/dbt/native/native-runner.js';
import type { DbtNodeResult, DbtProject } from '../../../../src/integrations/dbt/dbt-project.js';
import type { Warehouse } from '../../../../src/integrations/postgres/warehouse.js';

/** Writes `files` (path relative to the project -> content) into a fresh temp folder; returns it. */
export function writeProject(files: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-dbt-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

export function removeProject(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A minimal dbt_project.yml. */
export function projectYml(name = 'shop', extra = ''): string {
  return `name: ${name}\nversion: '1.0.0'\nconfig-version: 2\nprofile: ${name}\n${extra}`;
}

/** A StepLogger that keeps every record, for asserting what the runner logged. */
export function recordingLogger(): StepLogger & { records: Array<{ level: string; msg: string; fields: Record<string, unknown> }> } {
  const records: Array<{ level: string; msg: string; fields: Record<string, unknown> }> = [];
  const at = (level: string) => (a: unknown, b?: string) => {
    if (typeof a === 'string') records.push({ level, msg: a, fields: {} });
    else records.push({ level, msg: b ?? '', fields: a as Record<string, unknown> });
  };
  const logger = {
    records,
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    fatal: at('fatal'),
    child: () => logger,
  };
  return logger;
}

/**
 * Loads the project in `dir` and runs `select` (default: every node and test) with the native
 * runner against `warehouse`. Returns the results by unique id, in run order.
 */
export async function runNative(
  warehouse: Warehouse,
  dir: string,
  options: Omit<NativeRunnerOptions, 'warehouse'> & { select?: readonly string[]; project?: DbtProject },
): Promise<Map<string, DbtNodeResult>> {
  const project = options.project ?? loadDbtProjectFromFiles(dir);
  const select = options.select ?? [...project.nodes.keys(), ...project.tests.keys()];
  const runner = nativeRunner({ ...options, warehouse: 'warehouse' });
  const results = await runner.run({ project, select, log: recordingLogger(), signal: new AbortController().signal, resources: { warehouse } });
  return new Map(results.map((result) => [result.uniqueId, result]));
}
