import type { SensorDefinition } from '../core/sensor/sensor-definition.js';
import type { SensorPreview } from '../core/sensor/sensor-preview.js';
import type { Instance } from '../storage/instance.js';
import { lastTickOf, planRequests } from './plan-sensor-requests.js';
import { evaluateSensor, type SensorHost } from './sensor-evaluation.js';

/**
 * Evaluates the sensor once as a tick would (its cursor, timeout, feed and planning) and writes
 * nothing: no claim, no cursor, no runs, no tick. A throw or a request that cannot be planned is
 * thrown to the caller.
 */
export async function previewSensor(deps: SensorHost & { instance: Instance }, sensor: SensorDefinition, now: Date): Promise<SensorPreview> {
  const state = await deps.instance.sensors.getSensorState(sensor.name);
  const cursor = state?.cursor ?? null;
  const evaluation = await evaluateSensor(deps, sensor, { cursor, lastTick: await lastTickOf(deps.instance, sensor.name) });
  const planned = await planRequests(deps, sensor, evaluation.requests, now);
  return {
    sensor: sensor.name,
    cursorBefore: cursor,
    cursorAfter: evaluation.cursor,
    runs: planned.runs.map(({ runKey, run }) => ({ runKey, selection: run.selection, partition: run.partition ?? null, steps: run.steps.length, tags: run.tags })),
    skippedRunKeys: planned.skipped,
    skipReason: evaluation.skipReason,
    fed: evaluation.fed,
  };
}
