import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnyAssetDefinition } from '../core/asset/asset-definition.js';
import type { AnyMultiAssetDefinition } from '../core/asset/multi-asset-definition.js';
import type { AnyCheckDefinition } from '../core/checks/check-definition.js';
import { isSluiceError } from '../core/errors.js';
import { AssetGraph, type Sourced } from '../core/graph/asset-graph.js';
import type { ScheduleDefinition } from '../core/schedule/schedule-definition.js';
import { selectAssets } from '../core/selection/index.js';
import { CronTicks } from '../scheduler/cron-ticks.js';
import type { ScheduleTarget } from '../scheduler/scheduler-pass.js';
import { ProjectLoadError } from './project-load-error.js';

export interface LoadedProject {
  /** Absolute project folder. */
  readonly dir: string;
  readonly graph: AssetGraph;
  /** Every module imported, relative to `dir`, in import order. */
  readonly modules: readonly string[];
  /** The schedules, validated (cron, time zone, selection), sorted by name. */
  readonly schedules: readonly LoadedSchedule[];
}

/** A schedule with its compiled ticks and the file it came from. */
export interface LoadedSchedule extends ScheduleTarget {
  readonly source: string;
}

const MODULE = /\.(ts|mts|js|mjs)$/;
const SKIP = /(\.d\.ts|\.test\.[mc]?[tj]s|\.spec\.[mc]?[tj]s)$/;

/** Source files under `dir`, recursively, sorted, skipping dot folders, node_modules and tests. */
export function listModules(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (MODULE.test(entry.name) && !SKIP.test(entry.name)) out.push(path);
    }
  };
  walk(dir);
  return out;
}

function isDefinition(value: unknown, kind: string): boolean {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === kind && Object.isFrozen(value);
}

/**
 * Imports every module under `<dir>/assets` and `<dir>/schedules`, collects the exported
 * definitions (also inside exported arrays), and validates the asset graph. Throws a
 * ProjectLoadError naming the folder or file, or the graph's own validation error.
 */
export async function loadProject(projectDir: string): Promise<LoadedProject> {
  const dir = resolve(projectDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ProjectLoadError('PROJECT_NOT_FOUND', `project folder ${dir} does not exist; pass --project DIR or set SLUICE_PROJECT`, { dir });
  }
  if (!existsSync(join(dir, 'assets'))) {
    throw new ProjectLoadError(
      'PROJECT_NOT_FOUND',
      `no assets/ folder in ${dir}: a Sluice project is a folder with assets/ and schedules/; run from one, or pass --project DIR or set SLUICE_PROJECT`,
      { dir },
    );
  }
  const files = [...listModules(join(dir, 'assets')), ...listModules(join(dir, 'schedules'))];
  const assets: Array<Sourced<AnyAssetDefinition>> = [];
  const checks: Array<Sourced<AnyCheckDefinition>> = [];
  const schedules: Array<Sourced<ScheduleDefinition>> = [];
  for (const file of files) {
    const source = relative(dir, file);
    let exports: Record<string, unknown>;
    try {
      exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } catch (error) {
      const message = isSluiceError(error) ? error.message : error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new ProjectLoadError('MODULE_LOAD_FAILED', `${source} failed to load: ${message}`, { file: source }, error);
    }
    for (const value of Object.values(exports)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (isDefinition(item, 'asset')) assets.push({ definition: item as AnyAssetDefinition, source });
        else if (isDefinition(item, 'check')) checks.push({ definition: item as AnyCheckDefinition, source });
        else if (isDefinition(item, 'schedule')) schedules.push({ definition: item as ScheduleDefinition, source });
        // A multi-asset's keys are assets of their own; its checks come with them (AssetGraph.build).
        else if (isDefinition(item, 'multi_asset')) for (const asset of (item as AnyMultiAssetDefinition).assets) assets.push({ definition: asset, source });
      }
    }
  }
  const graph = AssetGraph.build(assets, checks);
  return { dir, graph, modules: files.map((f) => relative(dir, f)), schedules: loadSchedules(schedules, graph) };
}

/**
 * Checks each schedule against croner, the zone database and the graph: an invalid cron or time
 * zone, a selection that fails or selects nothing, or a name used twice is a ProjectLoadError
 * naming the schedule and its file.
 */
function loadSchedules(found: ReadonlyArray<Sourced<ScheduleDefinition>>, graph: AssetGraph): LoadedSchedule[] {
  const byName = new Map<string, LoadedSchedule>();
  for (const { definition, source = '<unknown>' } of found) {
    const where = `schedule "${definition.name}" in ${source}`;
    const previous = byName.get(definition.name);
    if (previous) {
      if (previous.definition === definition) continue;
      throw new ProjectLoadError('DUPLICATE_SCHEDULE', `schedule "${definition.name}" is defined twice: in ${previous.source} and in ${source}; rename one`, {
        schedule: definition.name,
        files: [previous.source, source],
      });
    }
    let ticks: CronTicks;
    try {
      ticks = new CronTicks(definition.cron, definition.timezone);
    } catch (error) {
      throw new ProjectLoadError('INVALID_SCHEDULE', `${where}: ${(error as Error).message}`, { schedule: definition.name, file: source }, error);
    }
    let selected: ReadonlySet<string>;
    try {
      selected = selectAssets(definition.select, graph);
    } catch (error) {
      throw new ProjectLoadError('INVALID_SCHEDULE', `${where}: select "${definition.select}": ${(error as Error).message}`, { schedule: definition.name, file: source }, error);
    }
    if (selected.size === 0) {
      throw new ProjectLoadError('INVALID_SCHEDULE', `${where}: select "${definition.select}" selects no assets; run \`sluice assets list\` to see what exists`, {
        schedule: definition.name,
        file: source,
      });
    }
    byName.set(definition.name, { definition, ticks, source });
  }
  return [...byName.values()].sort((a, b) => a.definition.name.localeCompare(b.definition.name));
}
