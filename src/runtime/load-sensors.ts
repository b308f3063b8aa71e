import type { SluiceError } from '../core/errors.js';
import type { AssetGraph, Sourced } from '../core/graph/asset-graph.js';
import { selectAssets } from '../core/selection/index.js';
import type { SensorDefinition } from '../core/sensor/sensor-definition.js';
import { ProjectLoadError } from './project-load-error.js';

/** A sensor with the file it came from. */
export interface LoadedSensor {
  readonly definition: SensorDefinition;
  readonly source: string;
}

const FIX = 'fix the selection (README: selection syntax); `sluice assets list --select EXPR` shows what an expression selects';

/**
 * Checks each sensor against the graph: a selection (`select`, an asset sensor's `assets`) that
 * fails or selects nothing, or a name used twice, is a ProjectLoadError naming the sensor and its
 * file, handed to `report` (which may throw). Returns the sensors without problems, sorted by name.
 */
export function loadSensors(found: ReadonlyArray<Sourced<SensorDefinition>>, graph: AssetGraph, report: (problem: SluiceError) => void): LoadedSensor[] {
  const byName = new Map<string, LoadedSensor>();
  for (const { definition, source = '<unknown>' } of found) {
    const where = `sensor "${definition.name}" in ${source}`;
    const at = { sensor: definition.name, file: source };
    const previous = byName.get(definition.name);
    if (previous) {
      if (previous.definition === definition) continue;
      const files = [previous.source, source];
      report(new ProjectLoadError('DUPLICATE_SENSOR', `sensor "${definition.name}" is defined twice: in ${previous.source} and in ${source}; rename one`, { ...at, files, fix: 'rename one' }));
      continue;
    }
    const selections = [
      ...(definition.select === undefined ? [] : [['select', definition.select] as const]),
      ...(definition.source.type === 'asset' ? [['assets', definition.source.assets] as const] : []),
    ];
    let ok = true;
    for (const [field, text] of selections) {
      try {
        if (selectAssets(text, graph).size === 0) throw new Error('selects no assets');
      } catch (error) {
        report(new ProjectLoadError('INVALID_SENSOR', `${where}: ${field} "${text}": ${(error as Error).message}`, { ...at, fix: FIX, refersToDefinitions: true }, error));
        ok = false;
        break;
      }
    }
    if (ok) byName.set(definition.name, { definition, source });
  }
  return [...byName.values()].sort((a, b) => a.definition.name.localeCompare(b.definition.name));
}
