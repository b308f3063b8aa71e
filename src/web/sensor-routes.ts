import type { IncomingMessage } from 'node:http';
import type { StepLogger } from '../core/asset/logger.js';
import type { ResourceMap } from '../core/asset/resource.js';
import type { ErrorInfo } from '../core/events.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import type { SensorDefinition, SensorStatus } from '../core/sensor/sensor-definition.js';
import { UnknownSensorError } from '../core/sensor/unknown-sensor-error.js';
import { previewSensor } from '../execution/sensor-preview.js';
import type { Instance, SensorState, SensorTickRecord } from '../storage/instance.js';
import { HttpError, readJson } from './http-util.js';

export type { SensorPreview } from '../execution/sensor-preview.js';

/** A sensor's persisted state, as the API and the CLI show it. */
export interface SensorStateView {
  readonly name: string;
  readonly status: SensorStatus;
  readonly cursor: string | null;
  readonly lastTickAt: string | null;
  readonly updatedAt: string;
}

export interface SensorTickView {
  readonly id: number;
  readonly status: 'SUCCESS' | 'SKIPPED' | 'FAILURE';
  readonly runIds: readonly string[];
  readonly skippedRunKeys: readonly string[];
  readonly skipReason: string | null;
  readonly error: ErrorInfo | null;
  readonly cursorBefore: string | null;
  readonly cursorAfter: string | null;
  readonly startedAt: string;
  readonly endedAt: string;
}

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

/** What the sensor routes need: the store, and for a preview the definitions and how to build their resources. */
export interface SensorRouteDeps {
  readonly instance: Instance;
  readonly graph: AssetGraph;
  readonly sensors?: readonly SensorDefinition[];
  readonly sensorResources?: (map: ResourceMap) => Promise<Record<string, unknown>>;
  readonly sensorLog?: (sensor: string) => StepLogger;
}

const silent: StepLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {}, child: () => silent };

function defined(deps: SensorRouteDeps, name: string): SensorDefinition {
  const known = (deps.sensors ?? []).map((s) => s.name);
  const found = deps.sensors?.find((s) => s.name === name);
  if (!found) throw new HttpError(404, 'UNKNOWN_SENSOR', new UnknownSensorError(name, known).message);
  return found;
}

/**
 * The sensor routes (undefined when `path` is none of them): GET /api/sensor-states, POST
 * /api/sensor-states/:name {status}, POST /api/sensor-states/:name/cursor {cursor}, GET
 * /api/sensor-states/:name/ticks?limit=N, POST /api/sensors/:name/preview (evaluated here, where
 * the definitions and their resources are; nothing written).
 */
export async function sensorRoute(deps: SensorRouteDeps, method: string, path: string, url: URL, req: IncomingMessage): Promise<[number, unknown] | undefined> {
  if (method === 'GET' && path === '/api/sensor-states') return [200, { states: (await deps.instance.sensors.listSensorStates()).map(sensorStateView) }];
  const preview = /^\/api\/sensors\/([^/]+)\/preview$/.exec(path);
  if (method === 'POST' && preview) {
    const sensor = defined(deps, decodeURIComponent(preview[1]!));
    const host = { instance: deps.instance, graph: deps.graph, storage: deps.instance.sensors, resources: deps.sensorResources ?? (async () => ({})), log: deps.sensorLog ?? (() => silent) };
    return [200, await previewSensor(host, sensor, new Date())];
  }
  const match = /^\/api\/sensor-states\/([^/]+)(\/ticks|\/cursor)?$/.exec(path);
  if (!match) return undefined;
  const name = decodeURIComponent(match[1]!);
  if (method === 'POST' && !match[2]) {
    const body = (await readJson(req)) as { status?: unknown };
    if (body.status !== 'RUNNING' && body.status !== 'STOPPED') throw new HttpError(400, 'INVALID_REQUEST', 'body needs "status": "RUNNING" or "STOPPED"');
    return [200, { state: sensorStateView(await deps.instance.sensors.setSensorStatus(name, body.status, new Date())) }];
  }
  if (method === 'POST' && match[2] === '/cursor') {
    const body = (await readJson(req)) as { cursor?: unknown; defaultStatus?: unknown };
    if (body.cursor !== null && typeof body.cursor !== 'string') throw new HttpError(400, 'INVALID_REQUEST', 'body needs "cursor": a string, or null to clear it');
    const defaultStatus: SensorStatus = body.defaultStatus === 'RUNNING' ? 'RUNNING' : 'STOPPED';
    return [200, { state: sensorStateView(await deps.instance.sensors.setSensorCursor(name, body.cursor, defaultStatus, new Date())) }];
  }
  if (method === 'GET' && match[2] === '/ticks') {
    const limit = Number(url.searchParams.get('limit') ?? 100);
    if (!Number.isInteger(limit) || limit < 1) throw new HttpError(400, 'INVALID_QUERY', 'limit must be a whole number >= 1');
    return [200, { ticks: (await deps.instance.sensors.listSensorTicks(name, { limit })).map(sensorTickView) }];
  }
  return undefined;
}
