import { inspectProject, type LoadOptions } from './load-project.js';
import type { ProjectProblem } from './project-problem.js';

/** What `sluice check` reports: counts of what loaded, and every problem. */
export interface ProjectCheck {
  readonly project: string;
  readonly ok: boolean;
  readonly summary: {
    readonly modules: number;
    readonly assets: number;
    readonly partitionedAssets: number;
    readonly checks: number;
    readonly schedules: number;
    readonly sensors: number;
    readonly alerts: number;
    /** Assets per group, by group name. */
    readonly groups: Readonly<Record<string, number>>;
  };
  readonly problems: readonly ProjectProblem[];
}

/**
 * Loads and validates the whole project the way every command loads it, plus the schedules' run
 * configs, collecting every problem instead of stopping at the first (see inspectProject).
 * The counts are of what loaded around the problems.
 */
export async function checkProject(projectDir: string, options: LoadOptions = {}): Promise<ProjectCheck> {
  const { project, problems } = await inspectProject(projectDir, { ...options, scheduleConfigs: true });
  const assets = project?.graph.assets() ?? [];
  const groups: Record<string, number> = {};
  for (const asset of assets) groups[asset.group] = (groups[asset.group] ?? 0) + 1;
  return {
    project: project?.dir ?? projectDir,
    ok: problems.length === 0,
    summary: {
      modules: project?.modules.length ?? 0,
      assets: assets.length,
      partitionedAssets: assets.filter((a) => a.partitions !== undefined).length,
      checks: project?.graph.allChecks().length ?? 0,
      schedules: project?.schedules.length ?? 0,
      sensors: project?.sensors.length ?? 0,
      alerts: project?.alerts.length ?? 0,
      groups: Object.fromEntries(Object.entries(groups).sort(([a], [b]) => a.localeCompare(b))),
    },
    problems,
  };
}
