import type { SensorDefinition } from '../core/sensor/sensor-definition.js';
import type { Instance } from '../storage/instance.js';
import { lastTickOf, planRequests } from './plan-sensor-requests.js';
import { evaluateSensor, type SensorHost } from './sensor-evaluation.js';

/** One run a preview would launch (or skip: its run key launched a run already). */
export interface PreviewedRun {
  readonly runKey: string | null;
  readonly selection: string;
  readonly partition: string | null;
  readonly steps: number;
  readonly tags: Readonly<Record<string, string>>;
}

export interface SensorPreview {
  readonly sensor: string;
  readonly cursorBefore: string | null;
  /** The cursor a tick would store. */
  readonly cursorAfter: string | null;
  readonly runs: readonly PreviewedRun[];
  readonly skippedRunKeys: readonly string[];
  readonly skipReason: string | null;
  /** Feed records evaluated (asset and run-status sensors). */
  readonly fed: number;
}

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
