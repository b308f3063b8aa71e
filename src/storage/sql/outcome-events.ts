import type { ErrorInfo, NewEvent } from '../../core/events.js';
import type { StepOutcome } from '../run-storage.js';

/** The step a finished attempt belongs to, as read from its row. */
export interface FinishedStep {
  readonly runId: string;
  readonly stepKey: string;
  readonly assetKey: string;
  readonly checkName: string | null;
}

const NO_ERROR_GIVEN: ErrorInfo = { name: 'Error', message: 'the step failed without an error' };

/**
 * The events an attempt ends with, in log order: its buffered events; then, for a final outcome,
 * its MATERIALIZATION or CHECK_EVALUATION and STEP_SUCCEEDED or STEP_FAILED; for an attempt that
 * will be retried (`retryDelayMs` given), STEP_FAILED with willRetry.
 */
export function outcomeEvents(step: FinishedStep, outcome: StepOutcome, retryDelayMs?: number): NewEvent[] {
  const { runId, stepKey, assetKey } = step;
  const { at, attempt, durationMs } = outcome;
  const events: NewEvent[] = [...(outcome.events ?? [])];
  const stepFailed = (retry: { willRetry: boolean; retryDelayMs?: number }): NewEvent => ({
    type: 'STEP_FAILED',
    runId,
    stepKey,
    at,
    data: { attempt, durationMs, error: outcome.error ?? NO_ERROR_GIVEN, ...retry },
  });
  if (retryDelayMs !== undefined) return [...events, stepFailed({ willRetry: true, retryDelayMs })];

  if (outcome.materialization) {
    const { metadata, dataVersion, partition } = outcome.materialization;
    events.push({
      type: 'MATERIALIZATION',
      runId,
      stepKey,
      at,
      data: { assetKey, metadata, ...(dataVersion === undefined ? {} : { dataVersion }), ...(partition === undefined ? {} : { partition }) },
    });
  }
  if (outcome.check) {
    const { description, ...check } = outcome.check;
    const checkName = step.checkName ?? stepKey;
    events.push({ type: 'CHECK_EVALUATION', runId, stepKey, at, data: { assetKey, checkName, ...check, ...(description === undefined ? {} : { description }) } });
  }
  if (outcome.status === 'SUCCEEDED') events.push({ type: 'STEP_SUCCEEDED', runId, stepKey, at, data: { attempt, durationMs } });
  else if (outcome.status === 'CANCELED') events.push({ type: 'STEP_CANCELED', runId, stepKey, at, data: {} });
  else events.push(stepFailed({ willRetry: false }));
  return events;
}
