import type { AutomationCursor } from '../core/automation/automation-snapshot.js';
import { automationAssets } from '../core/automation/automation-assets.js';
import { evaluateAutomation, type AutomationEvaluation } from '../core/automation/evaluate-automation.js';
import { groupRequests, type AutomationLaunch } from '../core/automation/group-requests.js';
import { toErrorInfo, type ErrorInfo } from '../core/events.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import { AUTOMATION_TAG } from '../core/run/system-tags.js';
import { formatValue } from '../core/selection/format-selection.js';
import { launchBackfill } from '../execution/launch-backfill.js';
import { launchRun } from '../execution/launch-run.js';
import { CronTicks } from '../scheduler/cron-ticks.js';
import type { Instance } from '../storage/instance.js';
import { AutomationTracker } from './automation-tracker.js';

export interface EvaluatedPass {
  readonly evaluation: AutomationEvaluation;
  readonly launches: AutomationLaunch[];
}

const cronCache = new Map<string, CronTicks>();

/** Whether a tick of the cron falls in (after, until]; the cron is checked (INVALID_SCHEDULE) on first use. */
export function cronTickBetween(cron: string, timezone: string, after: Date, until: Date): boolean {
  const key = `${timezone} ${cron}`;
  let ticks = cronCache.get(key);
  if (!ticks) cronCache.set(key, (ticks = new CronTicks(cron, timezone)));
  const next = ticks.nextAfter(after);
  return next !== undefined && next.getTime() <= until.getTime();
}

/**
 * Refreshes the tracker and evaluates every automated asset against `previous`; launches nothing,
 * saves nothing. With `prior`, the evaluation `previous` is the cursor of, assets settled there and
 * unchanged since (as the tracker saw it) are carried over.
 */
export async function evaluatePass(graph: AssetGraph, tracker: AutomationTracker, previous: AutomationCursor | null, now: Date, prior?: AutomationEvaluation): Promise<EvaluatedPass> {
  const snapshot = await tracker.refresh(graph, now);
  const changed = tracker.changed;
  const evaluation = evaluateAutomation({
    assets: automationAssets(graph),
    snapshot,
    previous: previous ?? undefined,
    cronTickBetween,
    ...(prior && changed ? { prior: { evaluation: prior, changed } } : {}),
  });
  return { evaluation, launches: groupRequests(graph, evaluation.requested, now) };
}

/** The selection text naming exactly `keys`. */
export function keysSelection(keys: readonly string[]): string {
  return keys.map((key) => `key:${formatValue(key)}`).join(' or ');
}

/**
 * Writes each launch as a run or a backfill QUEUED (through launchRun / launchBackfill, as every
 * launch is), tagged sluice/automation=true. A launch that is refused (a failed gating check
 * upstream) is recorded and the others go on.
 */
export async function launchAutomation(
  deps: { instance: Instance; graph: AssetGraph },
  launches: readonly AutomationLaunch[],
  now: Date,
): Promise<{ runIds: string[]; backfillIds: string[]; errors: ErrorInfo[] }> {
  const out = { runIds: [] as string[], backfillIds: [] as string[], errors: [] as ErrorInfo[] };
  const systemTags = { [AUTOMATION_TAG]: 'true' };
  for (const launch of launches) {
    const selection = keysSelection(launch.assets);
    try {
      if (launch.kind === 'run') {
        const run = await launchRun(deps, { selection, trigger: 'automation', systemTags, now, ...(launch.partition === null ? {} : { partition: launch.partition }) });
        out.runIds.push(run.id);
      } else {
        const backfill = await launchBackfill(deps, {
          selection,
          from: launch.from,
          to: launch.to,
          policy: { kind: 'per-partition' },
          maxConcurrentRuns: null,
          systemTags,
          trigger: 'automation',
          now,
        });
        out.backfillIds.push(backfill.id);
      }
    } catch (error) {
      out.errors.push(toErrorInfo(error));
    }
  }
  return out;
}

/**
 * What the next evaluation would request and launch, from the stored cursor and a state rebuilt
 * from storage; launches nothing and saves nothing (`sluice automation preview`).
 */
export async function previewAutomation(instance: Instance, graph: AssetGraph, now: Date): Promise<EvaluatedPass> {
  const state = await instance.automation.getState();
  const tracker = new AutomationTracker(instance);
  await tracker.load(graph, state.cursor, now);
  return evaluatePass(graph, tracker, state.cursor, now);
}
