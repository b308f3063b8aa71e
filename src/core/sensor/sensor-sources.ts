import type { ResourceMap } from '../asset/resource.js';
import type { RunStatus } from '../run/run-status.js';
import { invalidSensor, sensorBase, type AssetEventRecord, type RunStatusRecord, type SensorContext, type SensorDefinition, type SensorResult, type SensorSpec } from './sensor-definition.js';

/** What `onAssetEvents` takes. */
export interface AssetSensorSpec<R extends ResourceMap = ResourceMap> extends Omit<SensorSpec<R>, 'evaluate'> {
  /** The assets watched (selection syntax). */
  assets: string;
  /** Also feed each check evaluation of those assets (default false). */
  includeChecks?: boolean;
  /** Also feed each observation of those assets (`sluice assets report --observation`; default false). */
  includeObservations?: boolean;
  /** Gets every materialization (and check result) after the cursor, in order; the cursor moves past them when the tick commits. */
  evaluate(ctx: SensorContext<R>, events: readonly AssetEventRecord[]): SensorResult | Promise<SensorResult>;
}

/** What `onRunStatus` takes. */
export interface RunStatusSensorSpec<R extends ResourceMap = ResourceMap> extends Omit<SensorSpec<R>, 'evaluate'> {
  /** The statuses watched, e.g. ['FAILURE']. */
  status: readonly RunStatus[];
  /** Gets every run that reached a watched status after the cursor, in order. */
  evaluate(ctx: SensorContext<R>, runs: readonly RunStatusRecord[]): SensorResult | Promise<SensorResult>;
}

/** The statuses a run-status sensor may watch: those a run reaches with an event. */
export const WATCHABLE_RUN_STATUSES: readonly RunStatus[] = ['STARTED', 'SUCCESS', 'FAILURE', 'CANCELED'];

/**
 * A sensor fed every materialization (and, with `includeChecks`, check result) of `assets` after
 * its cursor, in order and in pages, not only the latest: `evaluate(ctx, events)`. Its cursor is
 * the last event id fed; a `cursor` the sensor returns is ignored.
 */
export function onAssetEvents<R extends ResourceMap = ResourceMap>(spec: AssetSensorSpec<R>): SensorDefinition {
  const base = sensorBase(spec as unknown as SensorSpec);
  if (typeof spec.assets !== 'string' || spec.assets.trim() === '') throw invalidSensor(base.name, 'assets must be an asset selection such as "raw_orders" or "group:ingest"');
  return Object.freeze({
    ...base,
    source: Object.freeze({ type: 'asset' as const, assets: spec.assets, includeChecks: spec.includeChecks === true, includeObservations: spec.includeObservations === true }),
    evaluate: (ctx: SensorContext, events: readonly unknown[]) => spec.evaluate(ctx as SensorContext<R>, events as AssetEventRecord[]),
  });
}

/**
 * A sensor fed every run that reached one of `status` after its cursor (the whole backlog, in
 * pages, in order), limited by `select` to runs whose selected assets intersect it (the same
 * `select` is the default selection of the runs it requests):
 * `evaluate(ctx, runs)`. The base of alerts.
 */
export function onRunStatus<R extends ResourceMap = ResourceMap>(spec: RunStatusSensorSpec<R>): SensorDefinition {
  const base = sensorBase(spec as unknown as SensorSpec);
  const statuses = spec.status;
  if (!Array.isArray(statuses) || statuses.length === 0 || statuses.some((s) => !WATCHABLE_RUN_STATUSES.includes(s))) {
    throw invalidSensor(base.name, `status must be a non-empty list of ${WATCHABLE_RUN_STATUSES.map((s) => `"${s}"`).join(', ')} (got ${JSON.stringify(statuses)})`);
  }
  return Object.freeze({
    ...base,
    source: Object.freeze({ type: 'run_status' as const, statuses: Object.freeze([...statuses]), runSelect: base.select }),
    evaluate: (ctx: SensorContext, events: readonly unknown[]) => spec.evaluate(ctx as SensorContext<R>, events as RunStatusRecord[]),
  });
}
