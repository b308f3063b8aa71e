/** A run's lifecycle: QUEUED -> STARTED -> (SUCCESS | FAILURE | CANCELING -> CANCELED). */
export type RunStatus = 'QUEUED' | 'STARTED' | 'SUCCESS' | 'FAILURE' | 'CANCELING' | 'CANCELED';

/**
 * A step's lifecycle: PENDING -> RUNNING -> SUCCEEDED | FAILED, RUNNING -> PENDING again for a
 * retry; PENDING -> SKIPPED when an upstream step failed, -> CANCELED when the run is canceled.
 */
export type StepStatus = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'CANCELED';

export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ['SUCCESS', 'FAILURE', 'CANCELED'];
export const TERMINAL_STEP_STATUSES: readonly StepStatus[] = ['SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELED'];

export function isTerminalRunStatus(status: RunStatus): boolean {
  return TERMINAL_RUN_STATUSES.includes(status);
}

export function isTerminalStepStatus(status: StepStatus): boolean {
  return TERMINAL_STEP_STATUSES.includes(status);
}
