import type { SluiceError } from '../core/errors.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import { CronTicks } from '../scheduler/cron-ticks.js';
import { ProjectLoadError } from './project-load-error.js';

/**
 * Compiles each asset deadline's cron with croner (defineAsset checked its shape and time zone; the
 * pattern itself needs croner, outside core): a pattern croner refuses is a ProjectLoadError naming
 * the asset and its file, handed to `report` (which may throw).
 */
export function checkDeadlines(graph: AssetGraph, report: (problem: SluiceError) => void): void {
  for (const key of graph.keys()) {
    const deadline = graph.get(key).deadline;
    if (!deadline) continue;
    try {
      new CronTicks(deadline.cron, deadline.timezone);
    } catch (error) {
      const file = graph.sourceOf(key) ?? '<unknown>';
      const fix = "use a croner pattern of 5 fields (6 with seconds first) such as '30 6 * * *'";
      report(new ProjectLoadError('INVALID_DEFINITION', `deadline of asset "${key}" in ${file}: ${(error as Error).message}; ${fix}`, { key, file, fix }, error));
    }
  }
}
