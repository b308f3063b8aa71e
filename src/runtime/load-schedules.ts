import type { SluiceError } from '../core/errors.js';
import type { AssetGraph, Sourced } from '../core/graph/asset-graph.js';
import { validateRunConfig } from '../core/plan/validate-run-config.js';
import type { ScheduleDefinition } from '../core/schedule/schedule-definition.js';
import { selectAssets } from '../core/selection/index.js';
import { CronTicks, InvalidCronError } from '../scheduler/cron-ticks.js';
import type { ScheduleTarget } from '../scheduler/scheduler-pass.js';
import { ProjectLoadError } from './project-load-error.js';

/** A schedule with its compiled ticks and the file it came from. */
export interface LoadedSchedule extends ScheduleTarget {
  readonly source: string;
}

const FIX = {
  cron: 'use a croner pattern of 5 fields (6 with seconds first) such as "0 6 * * *", or @daily',
  timezone: 'use an IANA time zone such as "Europe/London" or "UTC"',
  select: 'fix the selection (README: selection syntax); `sluice assets list --select EXPR` shows what an expression selects',
  none: 'run `sluice assets list` to see what exists',
  config: "make the schedule's config match the config schemas of the assets it selects",
} as const;

/**
 * Checks each schedule against croner, the zone database and the graph: an invalid cron or time
 * zone, a selection that fails or selects nothing, or a name used twice is a ProjectLoadError
 * naming the schedule and its file, handed to `report` (which may throw). With `configs`, a
 * schedule's run config is validated too. Returns the schedules without problems, sorted by name.
 */
export function loadSchedules(
  found: ReadonlyArray<Sourced<ScheduleDefinition>>,
  graph: AssetGraph,
  report: (problem: SluiceError) => void,
  options: { configs: boolean },
): LoadedSchedule[] {
  const byName = new Map<string, LoadedSchedule>();
  for (const { definition, source = '<unknown>' } of found) {
    const where = `schedule "${definition.name}" in ${source}`;
    const at = { schedule: definition.name, file: source };
    const previous = byName.get(definition.name);
    if (previous) {
      if (previous.definition === definition) continue;
      report(
        new ProjectLoadError('DUPLICATE_SCHEDULE', `schedule "${definition.name}" is defined twice: in ${previous.source} and in ${source}; rename one`, {
          schedule: definition.name,
          files: [previous.source, source],
          fix: 'rename one',
        }),
      );
      continue;
    }
    let ticks: CronTicks;
    try {
      ticks = new CronTicks(definition.cron, definition.timezone);
    } catch (error) {
      const fix = error instanceof InvalidCronError && error.data.field === 'timezone' ? FIX.timezone : FIX.cron;
      report(new ProjectLoadError('INVALID_SCHEDULE', `${where}: ${(error as Error).message}`, { ...at, fix }, error));
      continue;
    }
    let selected: ReadonlySet<string>;
    try {
      selected = selectAssets(definition.select, graph);
    } catch (error) {
      report(new ProjectLoadError('INVALID_SCHEDULE', `${where}: select "${definition.select}": ${(error as Error).message}`, { ...at, fix: FIX.select, refersToDefinitions: true }, error));
      continue;
    }
    if (selected.size === 0) {
      report(new ProjectLoadError('INVALID_SCHEDULE', `${where}: select "${definition.select}" selects no assets; ${FIX.none}`, { ...at, fix: FIX.none, refersToDefinitions: true }));
      continue;
    }
    if (options.configs && definition.config !== undefined) {
      try {
        validateRunConfig(graph, selected, definition.config, `the config of ${where}`);
      } catch (error) {
        report(new ProjectLoadError('INVALID_SCHEDULE', (error as Error).message, { ...at, fix: FIX.config, refersToDefinitions: true }, error));
        continue;
      }
    }
    byName.set(definition.name, { definition, ticks, source });
  }
  return [...byName.values()].sort((a, b) => a.definition.name.localeCompare(b.definition.name));
}
