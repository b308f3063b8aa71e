import type { SensorState, SensorTickRecord } from '../storage/instance.js';
import type { SensorStateView, SensorTickView } from './api-views.js';

export function sensorStateView(s: SensorState): SensorStateView {
  return { name: s.name, status: s.status, cursor: s.cursor, lastTickAt: s.lastTickAt?.toISOString() ?? null, updatedAt: s.updatedAt.toISOString() };
}

export function sensorTickView(t: SensorTickRecord): SensorTickView {
  const { error } = t;
  return {
    id: t.id,
    status: t.status,
    runIds: t.runIds,
    skippedRunKeys: t.skippedRunKeys,
    skipReason: t.skipReason,
    error: error ? { name: error.name, message: error.message, ...(error.code ? { code: error.code } : {}) } : null,
    cursorBefore: t.cursorBefore,
    cursorAfter: t.cursorAfter,
    startedAt: t.startedAt.toISOString(),
    endedAt: t.endedAt.toISOString(),
  };
}
