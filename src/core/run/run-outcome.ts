import type { RunStatus, StepStatus } from './run-status.js';

/**
 * The final status of a run whose steps have all ended, or null while any step is PENDING or
 * RUNNING. CANCELED when cancellation was requested, FAILURE when any step failed, else SUCCESS.
 */
export function runOutcome(steps: ReadonlyArray<{ status: StepStatus }>, cancelRequested: boolean): RunStatus | null {
  if (steps.some((s) => s.status === 'PENDING' || s.status === 'RUNNING')) return null;
  if (cancelRequested || steps.some((s) => s.status === 'CANCELED')) return 'CANCELED';
  if (steps.some((s) => s.status === 'FAILED')) return 'FAILURE';
  return 'SUCCESS';
}
