import type { AlertDefinition } from '../core/alert/alert-definition.js';
import type { SluiceError } from '../core/errors.js';
import type { AssetGraph, Sourced } from '../core/graph/asset-graph.js';
import { selectAssets } from '../core/selection/index.js';
import { ProjectLoadError } from './project-load-error.js';

/** An alert policy with the file it came from. */
export interface LoadedAlert {
  readonly definition: AlertDefinition;
  readonly source: string;
}

/**
 * Checks each alert against the graph: a `select` that fails or selects nothing, or a name used
 * twice, is a ProjectLoadError naming the alert and its file, handed to `report` (which may throw).
 * Returns the alerts without problems, sorted by name.
 */
export function loadAlerts(found: ReadonlyArray<Sourced<AlertDefinition>>, graph: AssetGraph, report: (problem: SluiceError) => void): LoadedAlert[] {
  const byName = new Map<string, LoadedAlert>();
  for (const { definition, source = '<unknown>' } of found) {
    const at = { alert: definition.name, file: source };
    const previous = byName.get(definition.name);
    if (previous) {
      if (previous.definition === definition) continue;
      report(new ProjectLoadError('DUPLICATE_ALERT', `alert "${definition.name}" is defined twice: in ${previous.source} and in ${source}; rename one`, { ...at, files: [previous.source, source], fix: 'rename one' }));
      continue;
    }
    if (definition.select !== undefined) {
      try {
        if (selectAssets(definition.select, graph).size === 0) throw new Error('selects no assets');
      } catch (error) {
        const fix = 'fix the selection (README: selection syntax); `sluice assets list --select EXPR` shows what an expression selects';
        report(new ProjectLoadError('INVALID_ALERT', `alert "${definition.name}" in ${source}: select "${definition.select}": ${(error as Error).message}`, { ...at, fix, refersToDefinitions: true }, error));
        continue;
      }
    }
    byName.set(definition.name, { definition, source });
  }
  return [...byName.values()].sort((a, b) => a.definition.name.localeCompare(b.definition.name));
}
