import type { NewEvent } from '../core/events.js';
import type { EventLogStorage } from '../storage/instance.js';

/**
 * The STEP_STARTED of an attempt whose process is gone, when that process died before writing it
 * (an attempt writes it with its first batch of events, see RunStorage.startStep): closing the
 * attempt as lost writes it first, so the log shows every attempt that started. A rare path: it
 * reads the run's STEP_STARTED events.
 */
export async function missingStartEvent(
  eventLog: EventLogStorage,
  runId: string,
  step: { key: string; attempt: number; startedAt: Date | null; worker: string | null },
  now: Date,
): Promise<NewEvent[]> {
  const started = await eventLog.listEvents(runId, { types: ['STEP_STARTED'] });
  if (started.some((event) => event.stepKey === step.key && event.type === 'STEP_STARTED' && event.data.attempt === step.attempt)) return [];
  return [
    { type: 'STEP_STARTED', runId, stepKey: step.key, at: step.startedAt ?? now, data: { attempt: step.attempt, ...(step.worker ? { worker: step.worker } : {}) } },
  ];
}
