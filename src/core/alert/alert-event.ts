import type { AlertEventType } from './alert-definition.js';

/** An event of the event log the alert feed reads (storage's AlertSourceEvent). */
export interface AlertEventSource {
  readonly id: number;
  readonly type: string;
  readonly runId: string;
  readonly stepKey: string | null;
  readonly at: Date;
  readonly data: Readonly<Record<string, unknown>>;
  /** The run's asset keys. */
  readonly assetKeys: readonly string[];
}

/** What alert policies react to: an event with its identity (the same event always has the same identity). */
export interface AlertEvent {
  readonly type: AlertEventType;
  /** Unique per event: a run ends once, a step fails for good once per run, a check evaluation is one event. */
  readonly identity: string;
  /** null for tick_failure (a failed tick launched no run). */
  readonly runId: string | null;
  readonly stepKey: string | null;
  readonly at: Date;
  /** The assets a policy's `select` is matched against: the run's (the check's asset for check_failure). */
  readonly assetKeys: readonly string[];
  /** Secret-free details for the message (never an error text: the run page shows it, redacted). */
  readonly detail: Readonly<Record<string, string | number | boolean | readonly string[]>>;
}

const RUN_ENDS: Record<string, AlertEventType> = { RUN_FAILURE: 'run_failure', RUN_SUCCESS: 'run_success', RUN_CANCELED: 'run_canceled' };

/** The alert event an event-log event raises, if any: run ends, a step failure with no retry left, a failed check. Pure. */
export function toAlertEvent(source: AlertEventSource): AlertEvent | undefined {
  const base = { runId: source.runId, stepKey: source.stepKey, at: source.at };
  const runEnd = RUN_ENDS[source.type];
  if (runEnd) {
    const failedSteps = Array.isArray(source.data.failedSteps) ? (source.data.failedSteps as string[]).filter((s) => typeof s === 'string') : [];
    return { ...base, type: runEnd, identity: `${runEnd}:${source.runId}`, assetKeys: source.assetKeys, detail: failedSteps.length > 0 ? { failedSteps } : {} };
  }
  if (source.type === 'STEP_FAILED' && source.data.willRetry === false) {
    const attempt = typeof source.data.attempt === 'number' ? source.data.attempt : 0;
    return { ...base, type: 'step_failure', identity: `step_failure:${source.runId}:${source.stepKey ?? ''}`, assetKeys: source.assetKeys, detail: { attempt } };
  }
  if (source.type === 'CHECK_EVALUATION' && source.data.passed === false) {
    const assetKey = String(source.data.assetKey ?? '');
    const checkName = String(source.data.checkName ?? '');
    return {
      ...base,
      type: 'check_failure',
      identity: `check_failure:${source.id}`,
      assetKeys: [assetKey],
      detail: { assetKey, checkName, severity: String(source.data.severity ?? 'ERROR') },
    };
  }
  return undefined;
}

/** A schedule's or sensor's tick, as tick_failure looks at it (newest first, SKIPPED and unfinished left out). */
export interface AlertTickSource {
  readonly kind: 'schedule' | 'sensor';
  readonly name: string;
  /** The assets the schedule or sensor launches (a policy's `select` is matched against them); empty: any policy. */
  readonly assetKeys: readonly string[];
  /** A schedule's latest tick in (after, until] (from its cron), for schedule_late. */
  readonly latestTick?: (after: Date, until: Date) => Date | undefined;
}

/**
 * tick_failure: the newest ended tick FAILED and the one before it did not (or there was none): a
 * schedule or sensor turning from success to failure raises one event, keyed by that tick; one
 * that keeps failing raises no more. Pure.
 */
export function tickFailureEvent(source: AlertTickSource, ticks: ReadonlyArray<{ readonly id: number; readonly status: string; readonly at: Date }>): AlertEvent | undefined {
  const [latest, previous] = ticks;
  if (!latest || latest.status !== 'FAILURE' || previous?.status === 'FAILURE') return undefined;
  return {
    type: 'tick_failure',
    identity: `tick_failure:${source.kind}:${source.name}:${latest.id}`,
    runId: null,
    stepKey: null,
    at: latest.at,
    assetKeys: source.assetKeys,
    detail: { [source.kind]: source.name },
  };
}

/**
 * heartbeat_stale: a daemon or worker that stopped reporting for `timeoutMs` without removing its
 * heartbeat (a clean stop removes it), i.e. it died or hangs. Keyed by the process's heartbeat id,
 * which is unique per process: one event per process gone. Matches any policy (no assets). Pure.
 */
export function heartbeatStaleEvent(beat: { readonly id: string; readonly kind: string; readonly host: string; readonly at: Date }, nowMs: number, timeoutMs: number): AlertEvent | undefined {
  if (nowMs - beat.at.getTime() < timeoutMs) return undefined;
  return { type: 'heartbeat_stale', identity: `heartbeat_stale:${beat.id}`, runId: null, stepKey: null, at: beat.at, assetKeys: [], detail: { process: beat.kind, host: beat.host, heartbeat: beat.id } };
}

/**
 * run_long_running: a run still going `minutes` after it started. One event per run (keyed by it),
 * whatever the number of passes; `select` is matched against the run's assets. Pure.
 */
export function runLongRunningEvent(run: { readonly id: string; readonly startedAt: Date | null; readonly assetKeys: readonly string[] }, nowMs: number, minutes: number): AlertEvent | undefined {
  if (!run.startedAt || nowMs - run.startedAt.getTime() < minutes * 60_000) return undefined;
  return {
    type: 'run_long_running',
    identity: `run_long_running:${run.id}`,
    runId: run.id,
    stepKey: null,
    at: new Date(run.startedAt.getTime() + minutes * 60_000),
    assetKeys: run.assetKeys,
    detail: { startedAt: run.startedAt.toISOString(), limitMinutes: minutes },
  };
}

/**
 * schedule_late: the schedule's tick at `due` (its latest instant at least `graceMs` ago) was not
 * launched within `graceMs`: no tick row yet (missed: no scheduler ran, or it is stuck), or one
 * claimed later than that. Keyed by schedule and instant: a tick is reported once, missed or late.
 * Pure.
 */
export function scheduleLateEvent(
  source: AlertTickSource,
  due: Date,
  claimedAt: Date | undefined,
  nowMs: number,
  graceMs: number,
): AlertEvent | undefined {
  if (nowMs - due.getTime() < graceMs) return undefined;
  if (claimedAt && claimedAt.getTime() - due.getTime() < graceMs) return undefined;
  return {
    type: 'schedule_late',
    identity: `schedule_late:${source.name}:${due.toISOString()}`,
    runId: null,
    stepKey: null,
    at: new Date(due.getTime() + graceMs),
    assetKeys: source.assetKeys,
    detail: {
      schedule: source.name,
      scheduledFor: due.toISOString(),
      ...(claimedAt ? { lateSeconds: Math.round((claimedAt.getTime() - due.getTime()) / 1000) } : { missed: true }),
    },
  };
}

/**
 * freshness_violation: a freshness or deadline verdict that changed to WARN or FAIL (keyed by the
 * violation: asset, partition, the instant it is about, the level), or back to PASS from one (a
 * recovery, keyed by the violation it ends). Pure.
 */
export function freshnessEvent(
  result: { readonly assetKey: string; readonly kind: string; readonly partitionKey: string; readonly level: string; readonly violationKey: string | null; readonly summary: string },
  previousViolationKey: string | null,
  at: Date,
): AlertEvent | undefined {
  const identity = result.violationKey ?? (previousViolationKey ? `${previousViolationKey}:recovered` : undefined);
  if (!identity) return undefined;
  return {
    type: 'freshness_violation',
    identity: `freshness_violation:${identity}`,
    runId: null,
    stepKey: null,
    at,
    assetKeys: [result.assetKey],
    detail: {
      assetKey: result.assetKey,
      kind: result.kind,
      ...(result.partitionKey ? { partition: result.partitionKey } : {}),
      level: result.level,
      summary: result.summary,
      ...(result.violationKey ? {} : { recovers: previousViolationKey! }),
    },
  };
}
