import { SluiceError } from '../core/errors.js';
import { isTerminalRunStatus } from '../core/run/run-status.js';
import type { RunRecord, RunStorage } from '../storage/instance.js';
import { finishRunIfDone } from './finish-run.js';
import { UnknownRunError } from './run-summary.js';

/** The run, when it exists and has not ended: UNKNOWN_RUN or RUN_ALREADY_ENDED otherwise. */
export async function cancelableRun(runs: RunStorage, runId: string): Promise<RunRecord> {
  const run = await runs.getRun(runId);
  if (!run) throw new UnknownRunError(runId);
  if (isTerminalRunStatus(run.status)) {
    throw new SluiceError('RUN_ALREADY_ENDED', `run ${runId} already ended ${run.status}; nothing to cancel`, { runId, status: run.status });
  }
  return run;
}

/**
 * Cancels a run that nothing executes any more, in storage alone: a process that executes runs
 * in-process holds the store, so any RUNNING step was left behind by one that died. A QUEUED run
 * ends CANCELED at once; a started one once its steps have.
 */
export async function cancelOrphanedRun(runs: RunStorage, runId: string, at: Date): Promise<void> {
  const run = await cancelableRun(runs, runId);
  for (const step of (await runs.listSteps(runId)).filter((s) => s.status === 'RUNNING')) {
    await runs.finishStep(runId, step.key, { status: 'CANCELED', attempt: step.attempt, at, durationMs: 0 });
  }
  if (run.status === 'QUEUED') await runs.setRunStatus(runId, 'CANCELED', at);
  else await finishRunIfDone(runs, runId, at, { cancelRequested: true });
}
