import type { StepLogger } from '../core/asset/logger.js';
import type { ResourceMap } from '../core/asset/resource.js';
import { SluiceError } from '../core/errors.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import { checkRunRequest, invalidSensor, type RunRequest, type SensorDefinition, type SensorLastTick, type SensorResult } from '../core/sensor/sensor-definition.js';
import type { SensorStorage } from '../storage/sensor-storage.js';
import { advanceFeedCursor, formatFeedCursor, parseFeedCursor, readFeedPage } from './sensor-feed.js';

/** What evaluating a sensor needs from its process. */
export interface SensorHost {
  readonly graph: AssetGraph;
  readonly storage: SensorStorage;
  /** Builds (once per process) the resources a sensor names. */
  readonly resources: (map: ResourceMap) => Promise<Record<string, unknown>>;
  readonly log: (sensor: string) => StepLogger;
  /** Events per page of a feeding sensor (default 500) and pages per tick (default 20). */
  readonly feedPageSize?: number;
  readonly feedPagesPerTick?: number;
}

/** What one evaluation produced (nothing is written yet). */
export interface SensorEvaluation {
  readonly requests: readonly RunRequest[];
  readonly skipReason: string | null;
  readonly cursor: string | null;
  /** How many feed records `evaluate` was given (asset and run-status sensors). */
  readonly fed: number;
}

export class SensorTimeoutError extends SluiceError {
  constructor(sensor: string, seconds: number) {
    super('SENSOR_TIMEOUT', `sensor "${sensor}" did not finish its evaluation within ${seconds} s (timeoutSeconds); make evaluate faster, honour ctx.signal, or raise timeoutSeconds`, { sensor, seconds });
  }
}

function checkResult(sensor: string, result: unknown): SensorResult {
  if (result === undefined || result === null) return {};
  if (typeof result !== 'object') throw invalidSensor(sensor, `evaluate returned ${JSON.stringify(result)}; return { runRequests?, skipReason?, cursor? }`);
  const r = result as SensorResult;
  if (r.runRequests !== undefined && !Array.isArray(r.runRequests)) throw invalidSensor(sensor, 'evaluate returned runRequests that is not an array');
  r.runRequests?.forEach((request, i) => checkRunRequest(sensor, request, i));
  if (r.cursor !== undefined && typeof r.cursor !== 'string') throw invalidSensor(sensor, `evaluate returned a cursor that is not a string (got ${typeof r.cursor}); serialize it, e.g. JSON.stringify`);
  return r;
}

/**
 * Evaluates the sensor once, raced against its `timeoutSeconds` (its AbortSignal is aborted then,
 * and on `stop`). A standard sensor is called once with its cursor; an asset or run-status sensor
 * once per page of its feed after the cursor (up to `feedPagesPerTick` pages), its cursor moving
 * past each page. Writes nothing.
 */
export async function evaluateSensor(
  host: SensorHost,
  sensor: SensorDefinition,
  state: { cursor: string | null; lastTick: SensorLastTick | null },
  stop?: AbortSignal,
): Promise<SensorEvaluation> {
  const controller = new AbortController();
  // Settles when the signal aborts (timeout or stop), so code that ignores its signal never holds the tick.
  const aborted = new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true }));
  aborted.catch(() => {});
  const onStop = () => controller.abort(stop?.reason ?? new Error('stopped'));
  if (stop?.aborted) onStop();
  else stop?.addEventListener('abort', onStop, { once: true });
  const timer = setTimeout(() => controller.abort(new SensorTimeoutError(sensor.name, sensor.timeoutSeconds)), sensor.timeoutSeconds * 1000);
  try {
    return await Promise.race([run(host, sensor, state, controller.signal), aborted]);
  } finally {
    clearTimeout(timer);
    stop?.removeEventListener('abort', onStop);
  }
}

async function run(host: SensorHost, sensor: SensorDefinition, state: { cursor: string | null; lastTick: SensorLastTick | null }, signal: AbortSignal): Promise<SensorEvaluation> {
  const resources = await host.resources(sensor.resources);
  const ctx = (cursor: string | null) => ({ sensorName: sensor.name, cursor, lastTick: state.lastTick, resources, log: host.log(sensor.name), signal });
  if (sensor.source.type === 'standard') {
    const result = checkResult(sensor.name, await sensor.evaluate(ctx(state.cursor), []));
    return { requests: result.runRequests ?? [], skipReason: result.skipReason ?? null, cursor: result.cursor ?? state.cursor, fed: 0 };
  }
  const pageSize = host.feedPageSize ?? 500;
  const requests: RunRequest[] = [];
  const reasons: string[] = [];
  // Only ids known final are fed (see FeedCursor): a late commit below a fed id is never skipped.
  let cursor = advanceFeedCursor(parseFeedCursor(sensor.name, state.cursor), await host.storage.feedWatermark(), Date.now());
  let fed = 0;
  for (let page = 0; page < (host.feedPagesPerTick ?? 20) && cursor.id < cursor.safe; page++) {
    signal.throwIfAborted();
    const read = await readFeedPage(host.storage, host.graph, sensor, { afterId: cursor.id, upToId: cursor.safe }, pageSize);
    if (!read) break;
    if (read.records.length > 0) {
      const result = checkResult(sensor.name, await sensor.evaluate(ctx(String(cursor.id)), read.records));
      requests.push(...(result.runRequests ?? []));
      if (result.skipReason) reasons.push(result.skipReason);
      fed += read.records.length;
    }
    cursor = { ...cursor, id: read.last ? cursor.safe : read.lastId };
    if (read.last) break;
  }
  const skipReason = reasons.length > 0 ? reasons.join('; ') : fed === 0 ? 'no new events' : null;
  return { requests, skipReason, cursor: formatFeedCursor(cursor), fed };
}
