import type { ErrorInfo } from '../core/events.js';
import { toErrorInfo } from '../core/events.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import { isTerminalRunStatus } from '../core/run/run-status.js';
import type { ScheduleDefinition } from '../core/schedule/schedule-definition.js';
import { launchRun } from '../execution/launch-run.js';
import type { Instance, ScheduleState, TickRecord } from '../storage/instance.js';
import type { CronTicks } from './cron-ticks.js';
import { dueTicks } from './due-ticks.js';
import { scheduleRunId } from './schedule-run-id.js';
import { SCHEDULED_FOR_TAG, SCHEDULE_TAG, SERIAL_TAG } from '../core/run/system-tags.js';

/** A loaded schedule: its definition and its compiled ticks. */
export interface ScheduleTarget {
  readonly definition: ScheduleDefinition;
  readonly ticks: CronTicks;
}

export interface SchedulerDeps {
  readonly instance: Instance;
  readonly graph: AssetGraph;
  readonly schedules: readonly ScheduleTarget[];
  /** Who claims ticks (the daemon's id). */
  readonly claimedBy: string;
  /** The clock for timestamps (claims, runs); tick planning uses the pass's `now`. */
  readonly clock: () => Date;
  /** Called after a run is written QUEUED, so the run queue starts it at once. */
  readonly onLaunched?: (runId: string) => void;
}

export interface TickDecision {
  readonly schedule: string;
  readonly scheduledFor: Date;
  readonly status: 'SUCCESS' | 'SKIPPED' | 'FAILURE';
  readonly runId?: string;
  readonly reason?: string;
  readonly error?: ErrorInfo;
}

export interface SchedulerPassResult {
  /** Ticks this pass claimed and decided (ticks claimed by another process are not listed). */
  readonly decisions: readonly TickDecision[];
  /** Schedules whose evaluation failed; the others were evaluated regardless. */
  readonly errors: ReadonlyArray<{ readonly schedule: string; readonly error: unknown }>;
}

/** A tick left STARTED this long (its claimer died before deciding it) is finished by whoever sees it. */
export const STALE_TICK_MS = 60_000;

/**
 * One scheduler pass at `now`: for each RUNNING schedule (a schedule without a state gets its
 * defaultStatus), the due ticks (see dueTicks) are claimed and launched oldest first, then the
 * cursor moves to the latest due tick. A tick is claimed (a unique row) before its run is written,
 * and the run id is derived from the tick, so any number of concurrent passes launch at most one
 * run per tick. With `recoverStale`, ticks left STARTED by a claimer that died are finished too.
 */
export async function runSchedulerPass(deps: SchedulerDeps, now: Date, options: { recoverStale?: boolean } = {}): Promise<SchedulerPassResult> {
  const decisions: TickDecision[] = [];
  const errors: Array<{ schedule: string; error: unknown }> = [];
  const states = new Map((await deps.instance.schedules.listScheduleStates()).map((s) => [s.name, s]));
  for (const target of deps.schedules) {
    const name = target.definition.name;
    try {
      const state: ScheduleState = states.get(name) ?? (await deps.instance.schedules.ensureScheduleState(name, target.definition.defaultStatus, now));
      if (state.status !== 'RUNNING' || state.startedAt === null) continue;
      if (options.recoverStale) {
        for (const tick of await deps.instance.schedules.listTicks(name, { statuses: ['STARTED'], limit: 10 })) {
          if (now.getTime() - tick.claimedAt.getTime() < STALE_TICK_MS) continue;
          decisions.push(await decideTick(deps, target, tick, { recovering: true }));
        }
      }
      const { launch, cursor } = dueTicks(target.ticks, target.definition.catchup, { startedAt: state.startedAt, cursor: state.cursor }, now);
      for (const scheduledFor of launch) {
        const tick = await deps.instance.schedules.claimTick({ schedule: name, scheduledFor, claimedBy: deps.claimedBy, at: deps.clock() });
        if (tick) decisions.push(await decideTick(deps, target, tick, { recovering: false }));
      }
      if (cursor) await deps.instance.schedules.advanceScheduleCursor(name, cursor, deps.clock());
    } catch (error) {
      errors.push({ schedule: name, error });
    }
  }
  return { decisions, errors };
}

/** Launches the run of a claimed tick (or skips it on overlap) and records the outcome on the tick. */
async function decideTick(deps: SchedulerDeps, target: ScheduleTarget, tick: TickRecord, how: { recovering: boolean }): Promise<TickDecision> {
  const { definition } = target;
  const base = { schedule: definition.name, scheduledFor: tick.scheduledFor };
  const runId = scheduleRunId(definition.name, tick.scheduledFor);
  const succeeded = async (): Promise<TickDecision> => {
    await deps.instance.schedules.finishTick(tick.id, { status: 'SUCCESS', runId }, deps.clock());
    return { ...base, status: 'SUCCESS', runId };
  };
  try {
    if (how.recovering && (await deps.instance.runs.getRun(runId))) return await succeeded();
    if (definition.overlap === 'skip') {
      const reason = await previousRunUnfinished(deps.instance, definition.name, tick);
      if (reason) {
        await deps.instance.schedules.finishTick(tick.id, { status: 'SKIPPED', reason }, deps.clock());
        return { ...base, status: 'SKIPPED', reason };
      }
    }
    await launchRun(
      { instance: deps.instance, graph: deps.graph },
      {
        selection: definition.select,
        selectionSource: `select of schedule "${definition.name}"`,
        ...(definition.config ? { config: definition.config } : {}),
        tags: definition.tags,
        tagsSource: `tags of schedule "${definition.name}"`,
        systemTags: {
          [SCHEDULE_TAG]: definition.name,
          [SCHEDULED_FOR_TAG]: tick.scheduledFor.toISOString(),
          ...(definition.overlap === 'queue' ? { [SERIAL_TAG]: `schedule:${definition.name}` } : {}),
        },
        trigger: `schedule:${definition.name}`,
        ...(definition.partition
          ? { partition: definition.partition({ scheduledFor: tick.scheduledFor, timezone: definition.timezone }), partitionSource: `partition of schedule "${definition.name}"` }
          : {}),
        now: deps.clock(),
        runId,
      },
    );
    deps.onLaunched?.(runId);
    return await succeeded();
  } catch (error) {
    // A run with the tick's id exists: an earlier claimer launched it before dying.
    if (await deps.instance.runs.getRun(runId).catch(() => undefined)) return await succeeded();
    const info = toErrorInfo(error);
    await deps.instance.schedules.finishTick(tick.id, { status: 'FAILURE', error: info }, deps.clock());
    return { ...base, status: 'FAILURE', error: info };
  }
}

/** Why the tick must be skipped: the run of the schedule's latest launched tick is not finished. */
async function previousRunUnfinished(instance: Instance, schedule: string, tick: TickRecord): Promise<string | undefined> {
  const [previous] = await instance.schedules.listTicks(schedule, { statuses: ['SUCCESS'], limit: 1 });
  if (!previous?.runId || previous.scheduledFor.getTime() >= tick.scheduledFor.getTime()) return undefined;
  const run = await instance.runs.getRun(previous.runId);
  if (!run || isTerminalRunStatus(run.status)) return undefined;
  return `run ${run.id} of the tick at ${previous.scheduledFor.toISOString()} is still ${run.status} (overlap: skip)`;
}
