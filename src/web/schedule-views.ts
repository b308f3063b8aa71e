import type { ScheduleState, TickRecord } from '../storage/instance.js';
import type { ScheduleStateView, TickView } from './api-contract.js';

export function scheduleStateView(state: ScheduleState): ScheduleStateView {
  return {
    name: state.name,
    status: state.status,
    startedAt: state.startedAt?.toISOString() ?? null,
    cursor: state.cursor?.toISOString() ?? null,
    updatedAt: state.updatedAt.toISOString(),
  };
}

export function tickView(tick: TickRecord): TickView {
  return {
    id: tick.id,
    schedule: tick.schedule,
    scheduledFor: tick.scheduledFor.toISOString(),
    status: tick.status,
    runId: tick.runId,
    reason: tick.reason,
    error: tick.error ? { name: tick.error.name, message: tick.error.message, ...(tick.error.code ? { code: tick.error.code } : {}) } : null,
    claimedBy: tick.claimedBy,
    claimedAt: tick.claimedAt.toISOString(),
    endedAt: tick.endedAt?.toISOString() ?? null,
  };
}
