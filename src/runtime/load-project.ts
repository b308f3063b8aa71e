import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnyAssetDefinition } from '../core/asset/asset-definition.js';
import type { AnyMultiAssetDefinition } from '../core/asset/multi-asset-definition.js';
import type { AnyCheckDefinition } from '../core/checks/check-definition.js';
import { isSluiceError, type SluiceError } from '../core/errors.js';
import { AssetGraph, type Sourced } from '../core/graph/asset-graph.js';
import type { ScheduleDefinition } from '../core/schedule/schedule-definition.js';
import { loadSchedules, type LoadedSchedule } from './load-schedules.js';
import { loadSensors, type LoadedSensor } from './load-sensors.js';
import { loadAlerts, type LoadedAlert } from './load-alerts.js';
import { checkDeadlines } from './check-deadlines.js';
import type { AlertDefinition } from '../core/alert/alert-definition.js';
import type { SensorDefinition } from '../core/sensor/sensor-definition.js';
import { ensureTypeScriptLoader } from './typescript-loader.js';
import { ProjectLoadError } from './project-load-error.js';
import { problemsOf, type ProjectProblem } from './project-problem.js';

export type { LoadedSchedule } from './load-schedules.js';
export type { LoadedSensor } from './load-sensors.js';
export type { LoadedAlert } from './load-alerts.js';

export interface LoadedProject {
  /** Absolute project folder. */
  readonly dir: string;
  readonly graph: AssetGraph;
  /** Every module imported, relative to `dir`, in import order. */
  readonly modules: readonly string[];
  /** The schedules, validated (cron, time zone, selection), sorted by name. */
  readonly schedules: readonly LoadedSchedule[];
  /** The sensors, validated (selections), sorted by name. */
  readonly sensors: readonly LoadedSensor[];
  /** The alert policies, validated (selections), sorted by name. */
  readonly alerts: readonly LoadedAlert[];
}

/** Imports one module file (absolute path) and returns its exports. */
export type ImportModule = (file: string) => Promise<Record<string, unknown>>;

export interface LoadOptions {
  /** How modules are imported; by default a plain `import()` (once per process: ESM caches modules). */
  readonly importModule?: ImportModule;
}

/** What `inspectProject` found: every problem, and the project as far as it could be made. */
export interface ProjectInspection {
  /**
   * The definitions that loaded, in a graph built around the problems (see AssetGraph.collect);
   * undefined when the folder is not a project. Run it only when `problems` is empty.
   */
  readonly project: LoadedProject | undefined;
  readonly problems: readonly ProjectProblem[];
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

const plainImport: ImportModule = async (file) => {
  await ensureTypeScriptLoader(file);
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
};

/**
 * Imports every module under `<dir>/assets` and `<dir>/schedules`, collects the exported
 * definitions (also inside exported arrays), and validates the asset graph and the schedules.
 * Throws the first problem: a ProjectLoadError naming the folder or file, or the graph's own
 * validation error.
 */
export async function loadProject(projectDir: string, options: LoadOptions = {}): Promise<LoadedProject> {
  const project = await readProject(resolve(projectDir), 'first', (problem) => {
    throw problem;
  }, options);
  return project!;
}

/**
 * The same loading and the same rules as `loadProject`, but every problem is collected (a module
 * that fails to load does not stop the others; see AssetGraph.collect), and with `scheduleConfigs`
 * each schedule's run config is also checked against the schemas of the assets it selects.
 */
export async function inspectProject(projectDir: string, options: LoadOptions & { scheduleConfigs?: boolean } = {}): Promise<ProjectInspection> {
  const errors: SluiceError[] = [];
  const project = await readProject(resolve(projectDir), 'all', (problem) => errors.push(problem), options);
  return { project, problems: problemsOf(errors, project?.graph) };
}

/**
 * One reading of a project with one set of rules. `report` hears each problem: in mode `first` it
 * throws (so the first problem ends the load); in mode `all` it keeps them and loading goes on
 * around them.
 */
async function readProject(
  dir: string,
  mode: 'first' | 'all',
  report: (problem: SluiceError) => void,
  options: LoadOptions & { scheduleConfigs?: boolean },
): Promise<LoadedProject | undefined> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    const fix = 'pass --project DIR or set SLUICE_PROJECT';
    report(new ProjectLoadError('PROJECT_NOT_FOUND', `project folder ${dir} does not exist; ${fix}`, { dir, fix }));
    return undefined;
  }
  if (!existsSync(join(dir, 'assets'))) {
    const fix = 'run from one, or pass --project DIR or set SLUICE_PROJECT';
    report(new ProjectLoadError('PROJECT_NOT_FOUND', `no assets/ folder in ${dir}: a Sluice project is a folder with assets/ and schedules/; ${fix}`, { dir, fix }));
    return undefined;
  }
  const importModule = options.importModule ?? plainImport;
  const files = [...listModules(join(dir, 'assets')), ...listModules(join(dir, 'schedules'))];
  const assets: Array<Sourced<AnyAssetDefinition>> = [];
  const checks: Array<Sourced<AnyCheckDefinition>> = [];
  const schedules: Array<Sourced<ScheduleDefinition>> = [];
  const sensors: Array<Sourced<SensorDefinition>> = [];
  const alerts: Array<Sourced<AlertDefinition>> = [];
  for (const file of files) {
    const source = relative(dir, file);
    let exports: Record<string, unknown>;
    try {
      exports = await importModule(file);
    } catch (error) {
      const message = isSluiceError(error) ? error.message : error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const fix = `make ${source} import without throwing`;
      report(new ProjectLoadError('MODULE_LOAD_FAILED', `${source} failed to load: ${message}`, { file: source, fix }, error));
      continue;
    }
    for (const value of Object.values(exports)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (isDefinition(item, 'asset')) assets.push({ definition: item as AnyAssetDefinition, source });
        else if (isDefinition(item, 'check')) checks.push({ definition: item as AnyCheckDefinition, source });
        else if (isDefinition(item, 'schedule')) schedules.push({ definition: item as ScheduleDefinition, source });
        else if (isDefinition(item, 'sensor')) sensors.push({ definition: item as SensorDefinition, source });
        else if (isDefinition(item, 'alert')) alerts.push({ definition: item as AlertDefinition, source });
        // A multi-asset's keys are assets of their own; its checks come with them (AssetGraph.build).
        else if (isDefinition(item, 'multi_asset')) for (const asset of (item as AnyMultiAssetDefinition).assets) assets.push({ definition: asset, source });
      }
    }
  }
  let graph: AssetGraph;
  if (mode === 'first') graph = AssetGraph.build(assets, checks);
  else {
    const collected = AssetGraph.collect(assets, checks);
    collected.problems.forEach(report);
    graph = collected.graph;
  }
  checkDeadlines(graph, report);
  const loaded = loadSchedules(schedules, graph, report, { configs: options.scheduleConfigs === true });
  return { dir, graph, modules: files.map((f) => relative(dir, f)), schedules: loaded, sensors: loadSensors(sensors, graph, report), alerts: loadAlerts(alerts, graph, report) };
}
