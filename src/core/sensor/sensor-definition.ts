import type { ResolvedResources, ResourceMap } from '../asset/resource.js';
import type { StepLogger } from '../asset/logger.js';
import { SluiceError } from '../errors.js';
import type { RunStatus } from '../run/run-status.js';
import { assertUserTags } from '../run/system-tags.js';

export type SensorStatus = 'RUNNING' | 'STOPPED';

/** One run a sensor asks for. */
export interface RunRequest {
  /** At most one run per (sensor, runKey), ever: a repeated key is skipped, not an error. */
  readonly runKey?: string;
  /** The run's selection; default: the sensor's `select`. */
  readonly select?: string;
  /** A partition key, or a range `from...to`. */
  readonly partition?: string;
  readonly tags?: Readonly<Record<string, string>>;
  /** Run config keyed by asset key. */
  readonly config?: Readonly<Record<string, unknown>>;
}

/** What `evaluate` returns: the runs to launch, or why none, and the new cursor. */
export interface SensorResult {
  readonly runRequests?: readonly RunRequest[];
  readonly skipReason?: string;
  /** Stored with the tick (in the same transaction as its runs); omitted: the cursor stays. */
  readonly cursor?: string;
}

/** The sensor's previous tick, as `evaluate` sees it. */
export interface SensorLastTick {
  readonly status: 'SUCCESS' | 'SKIPPED' | 'FAILURE';
  readonly at: Date;
  readonly runIds: readonly string[];
}

export interface SensorContext<R extends ResourceMap = ResourceMap> {
  readonly sensorName: string;
  /** The cursor the last committed tick left (null before the first). */
  readonly cursor: string | null;
  readonly lastTick: SensorLastTick | null;
  readonly resources: ResolvedResources<R>;
  readonly log: StepLogger;
  /** Aborted when the tick times out (`timeoutSeconds`) or the daemon stops. */
  readonly signal: AbortSignal;
}

/** What `defineSensor` takes. */
export interface SensorSpec<R extends ResourceMap = ResourceMap> {
  /** Unique in the project: letters, digits, `_`, `-`, `.`. */
  name: string;
  /** The shortest time between two ticks (default 30). */
  minimumIntervalSeconds?: number;
  /** A tick still evaluating after this is aborted and recorded as a FAILURE (default 60). */
  timeoutSeconds?: number;
  /** Status until someone runs `sluice sensors start|stop` (default STOPPED). */
  defaultStatus?: SensorStatus;
  /** The selection of requested runs that give none. */
  select?: string;
  resources?: R;
  description?: string;
  evaluate(ctx: SensorContext<R>): SensorResult | Promise<SensorResult>;
}

/** What an asset sensor's `evaluate` gets: each materialization (or check result, or observation) after the cursor, in order. */
export interface AssetEventRecord {
  /** The event's id: the sensor's cursor moves past it when the tick commits. */
  readonly id: number;
  readonly type: 'MATERIALIZATION' | 'CHECK_EVALUATION' | 'ASSET_OBSERVATION';
  readonly assetKey: string;
  readonly runId: string;
  readonly at: Date;
  readonly partition: string | null;
  readonly metadata: Readonly<Record<string, unknown>>;
  /** CHECK_EVALUATION only. */
  readonly checkName?: string;
  readonly passed?: boolean;
}

/** What a run-status sensor's `evaluate` gets: each run that reached a watched status after the cursor, in order. */
export interface RunStatusRecord {
  /** The id of the event that ended it there. */
  readonly id: number;
  readonly runId: string;
  readonly status: RunStatus;
  readonly at: Date;
  readonly selection: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** Which events a sensor is fed; `standard` is fed none. */
export type SensorSource =
  | { readonly type: 'standard' }
  | { readonly type: 'asset'; readonly assets: string; readonly includeChecks: boolean; readonly includeObservations: boolean }
  | { readonly type: 'run_status'; readonly statuses: readonly RunStatus[]; readonly runSelect: string | undefined };

/** A sensor: frozen data. Its selections are checked when the project loads. */
export interface SensorDefinition {
  readonly kind: 'sensor';
  readonly name: string;
  readonly minimumIntervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly defaultStatus: SensorStatus;
  readonly select: string | undefined;
  readonly resources: ResourceMap;
  readonly description: string | undefined;
  readonly source: SensorSource;
  /** The uniform entry point: `events` are the asset events or runs after the cursor ([] for a standard sensor). */
  readonly evaluate: (ctx: SensorContext, events: readonly unknown[]) => SensorResult | Promise<SensorResult>;
}

const NAME = /^[A-Za-z0-9_.-]+$/;

export function invalidSensor(name: string, message: string): SluiceError {
  return new SluiceError('INVALID_DEFINITION', `sensor "${name}": ${message}`, { sensor: name });
}

function positive(name: string, field: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw invalidSensor(name, `${field} must be a number of seconds > 0 (got ${JSON.stringify(value)})`);
  return value;
}

/** Checks the fields every kind of sensor shares; returns them frozen. */
export function sensorBase(spec: Omit<SensorSpec, 'evaluate'> & { evaluate?: unknown }): Omit<SensorDefinition, 'source' | 'evaluate'> {
  const name = spec?.name;
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new SluiceError('INVALID_DEFINITION', `invalid sensor name ${JSON.stringify(name)}: use letters, digits, "_", "-" or "."`, { sensor: name });
  }
  if (typeof spec.evaluate !== 'function') throw invalidSensor(name, 'evaluate must be a function (ctx) => ({ runRequests?, skipReason?, cursor? })');
  const status = spec.defaultStatus ?? 'STOPPED';
  if (status !== 'RUNNING' && status !== 'STOPPED') throw invalidSensor(name, `defaultStatus must be "RUNNING" or "STOPPED" (got ${JSON.stringify(status)})`);
  if (spec.select !== undefined && (typeof spec.select !== 'string' || spec.select.trim() === '')) {
    throw invalidSensor(name, 'select must be an asset selection such as "*" or "+key:publish"');
  }
  return {
    kind: 'sensor',
    name,
    minimumIntervalSeconds: positive(name, 'minimumIntervalSeconds', spec.minimumIntervalSeconds, 30),
    timeoutSeconds: positive(name, 'timeoutSeconds', spec.timeoutSeconds, 60),
    defaultStatus: status,
    select: spec.select,
    resources: Object.freeze({ ...(spec.resources ?? {}) }),
    description: spec.description,
  };
}

/**
 * Declares a sensor: on each tick (every `minimumIntervalSeconds` at most, in the daemon) its
 * `evaluate` may request runs and move its cursor, both committed in one transaction. Returns
 * frozen data and does nothing else.
 */
export function defineSensor<R extends ResourceMap = ResourceMap>(spec: SensorSpec<R>): SensorDefinition {
  const base = sensorBase(spec as unknown as SensorSpec);
  return Object.freeze({ ...base, source: Object.freeze({ type: 'standard' as const }), evaluate: (ctx: SensorContext) => spec.evaluate(ctx as SensorContext<R>) });
}

/** Checks a request's fields (a sensor's code returned it, so errors name the sensor). */
export function checkRunRequest(sensor: string, request: RunRequest, index: number): void {
  const where = `run request ${index + 1}`;
  if (typeof request !== 'object' || request === null) throw invalidSensor(sensor, `${where} must be an object { runKey?, select?, partition?, tags?, config? }`);
  if (request.runKey !== undefined && (typeof request.runKey !== 'string' || request.runKey === '')) throw invalidSensor(sensor, `${where}: runKey must be a non-empty string`);
  if (request.partition !== undefined && typeof request.partition !== 'string') throw invalidSensor(sensor, `${where}: partition must be a string`);
  if (request.tags !== undefined) assertUserTags(request.tags, `sensor "${sensor}" ${where}`);
}
