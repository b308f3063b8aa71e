import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnyAssetDefinition } from '../core/asset/asset-definition.js';
import type { AnyCheckDefinition } from '../core/checks/check-definition.js';
import { isSluiceError } from '../core/errors.js';
import { AssetGraph, type Sourced } from '../core/graph/asset-graph.js';
import { ProjectLoadError } from './project-load-error.js';

export interface LoadedProject {
  /** Absolute project folder. */
  readonly dir: string;
  readonly graph: AssetGraph;
  /** Every module imported, relative to `dir`, in import order. */
  readonly modules: readonly string[];
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
      }
    }
  }
  const graph = AssetGraph.build(assets, checks);
  return { dir, graph, modules: files.map((f) => relative(dir, f)) };
}
