import type { ErrorInfo, NewEvent } from '../core/events.js';
import { runOutcome } from '../core/run/run-outcome.js';
import type { RunStatus } from '../core/run/run-status.js';
import type { RunStorage } from '../storage/instance.js';

/**
 * Ends the run when nothing of it is PENDING or RUNNING any more: SUCCESS, FAILURE or (when
 * cancellation was requested, or the run is CANCELING) CANCELED, after canceling what is still
 * PENDING. Any number of processes may call it at once: storage's guarded transition lets one win.
 * Returns the final status, or null while the run still has work.
 */
export async function finishRunIfDone(
  runs: RunStorage,
  runId: string,
  at: Date,
  options: { cancelRequested?: boolean; fatal?: ErrorInfo; onEvent?: (event: NewEvent) => void } = {},
): Promise<RunStatus | null> {
  const run = await runs.getRun(runId);
  if (!run || run.status === 'QUEUED' || run.status === 'SUCCESS' || run.status === 'FAILURE' || run.status === 'CANCELED') return null;
  const canceling = options.cancelRequested === true || run.status === 'CANCELING';
  if (canceling) {
    if (run.status !== 'CANCELING' && (await runs.setRunStatus(runId, 'CANCELING', at))) {
      options.onEvent?.({ type: 'RUN_CANCELING', runId, stepKey: null, at, data: {} });
    }
    for (const key of await runs.cancelPendingSteps(runId, at)) options.onEvent?.({ type: 'STEP_CANCELED', runId, stepKey: key, at, data: {} });
  }
  let steps = await runs.listSteps(runId);
  let status = runOutcome(steps, canceling);
  let error = options.fatal;
  if (status === null) {
    if (options.fatal === undefined || steps.some((s) => s.status === 'RUNNING')) return null;
    // A fatal error stopped execution with steps still PENDING: they can never run.
    const stuck = await runs.cancelPendingSteps(runId, at);
    steps = await runs.listSteps(runId);
    status = canceling ? 'CANCELED' : 'FAILURE';
    error = { ...options.fatal, message: `${options.fatal.message} (steps never run: ${stuck.join(', ')})` };
  }
  if (status === 'FAILURE' && !error) {
    const failed = steps.filter((s) => s.status === 'FAILED').map((s) => s.key);
    error = { name: 'StepsFailed', message: `${failed.length} step(s) failed: ${failed.join(', ')}` };
  }
  if (!(await runs.setRunStatus(runId, status, at, status === 'FAILURE' ? error : undefined))) return null;
  options.onEvent?.(
    status === 'FAILURE'
      ? { type: 'RUN_FAILURE', runId, stepKey: null, at, data: error ? { error } : {} }
      : { type: status === 'SUCCESS' ? 'RUN_SUCCESS' : 'RUN_CANCELED', runId, stepKey: null, at, data: {} },
  );
  return status;
}
