import { toErrorInfo, type ErrorInfo } from '../core/events.js';
import type { SensorDefinition } from '../core/sensor/sensor-definition.js';
import { lastTickOf, planRequests } from '../execution/plan-sensor-requests.js';
import type { Instance, SensorState } from '../storage/instance.js';
import { evaluateSensor, type SensorHost } from '../execution/sensor-evaluation.js';

export interface SensorTickDeps extends SensorHost {
  readonly instance: Instance;
  /** Who claims ticks (the daemon's id). */
  readonly claimedBy: string;
  readonly clock: () => Date;
  /** What errors go through before they are stored (secrets never reach a tick row). */
  readonly redact?: (error: ErrorInfo) => ErrorInfo;
  /** Called after a run is committed QUEUED, so the run queue starts it at once. */
  readonly onLaunched?: (runId: string) => void;
}

/** How a tick this process claimed ended. */
export interface SensorDecision {
  readonly sensor: string;
  readonly status: 'SUCCESS' | 'SKIPPED' | 'FAILURE';
  readonly runIds: readonly string[];
  readonly skippedRunKeys: readonly string[];
  readonly skipReason: string | null;
  readonly error: ErrorInfo | null;
  readonly cursor: string | null;
}

/** How long a claim outlives the evaluation's timeout: room to plan and commit. */
export const CLAIM_MARGIN_MS = 60_000;

/**
 * One tick of a sensor, if it is due: claim it (a conditional update of its state row, so of any
 * number of daemons one evaluates it), evaluate it with its timeout, plan the runs it requests, and
 * commit cursor, run keys, runs and tick in one transaction. A throw, a timeout or a request that
 * cannot be planned is a FAILURE: the error is recorded, the cursor kept, nothing launched. Returns
 * undefined when the tick was not due, claimed elsewhere, or `stop` ended it (the claim is given back).
 */
export async function runSensorTick(deps: SensorTickDeps, sensor: SensorDefinition, stop?: AbortSignal): Promise<SensorDecision | undefined> {
  const startedAt = deps.clock();
  const claim: SensorState | undefined = await deps.instance.sensors.claimSensorTick({
    name: sensor.name,
    claimedBy: deps.claimedBy,
    at: startedAt,
    minimumIntervalMs: sensor.minimumIntervalSeconds * 1000,
    ttlMs: sensor.timeoutSeconds * 1000 + CLAIM_MARGIN_MS,
  });
  if (!claim) return undefined;
  const base = { sensor: sensor.name, claimedBy: deps.claimedBy, startedAt, cursorBefore: claim.cursor };
  let outcome: Parameters<Instance['sensors']['commitSensorTick']>[0]['outcome'];
  try {
    const evaluation = await evaluateSensor(deps, sensor, { cursor: claim.cursor, lastTick: await lastTickOf(deps.instance, sensor.name) }, stop);
    const planned = await planRequests(deps, sensor, evaluation.requests, deps.clock());
    outcome = { status: 'EVALUATED', cursorAfter: evaluation.cursor, runs: planned.runs, skipReason: evaluation.skipReason, skippedRunKeys: planned.skipped };
  } catch (error) {
    if (stop?.aborted) {
      await deps.instance.sensors.releaseSensorClaim(sensor.name, deps.claimedBy);
      return undefined;
    }
    const info = toErrorInfo(error);
    outcome = { status: 'FAILURE', error: deps.redact ? deps.redact(info) : info };
  }
  const committed = await deps.instance.sensors.commitSensorTick({ ...base, endedAt: deps.clock(), outcome });
  if (!committed) return undefined;
  for (const run of committed.launched) deps.onLaunched?.(run.id);
  const { tick } = committed;
  return { sensor: sensor.name, status: tick.status, runIds: tick.runIds, skippedRunKeys: tick.skippedRunKeys, skipReason: tick.skipReason, error: tick.error, cursor: tick.cursorAfter };
}
