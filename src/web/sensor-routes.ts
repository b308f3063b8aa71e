import type { StepLogger } from '../core/asset/logger.js';
import type { ResourceMap } from '../core/asset/resource.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import type { SensorDefinition } from '../core/sensor/sensor-definition.js';
import { UnknownSensorError } from '../core/sensor/unknown-sensor-error.js';
import { describeSensorSource } from '../core/sensor/describe-sensor-source.js';
import { previewSensor } from '../execution/sensor-preview.js';
import type { Instance } from '../storage/instance.js';
import type { Handlers } from './api-dispatch.js';
import { HttpError } from './http-util.js';
import { sensorStateView, sensorTickView } from './sensor-views.js';

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
 * The sensor routes: states, start/stop, the cursor, ticks, and a preview (evaluated here, where
 * the definitions and their resources are; nothing written).
 */
export function sensorHandlers(deps: SensorRouteDeps): Handlers<'sensors' | 'sensorStates' | 'setSensorState' | 'setSensorCursor' | 'sensorTicks' | 'previewSensor'> {
  const { sensors } = deps.instance;
  return {
    async sensors() {
      const states = new Map((await sensors.listSensorStates()).map((state) => [state.name, state]));
      const views = await Promise.all(
        (deps.sensors ?? []).map(async (d) => {
          const state = states.get(d.name);
          const [last] = state ? await sensors.listSensorTicks(d.name, { limit: 1 }) : [];
          return {
            name: d.name,
            type: d.source.type,
            watches: describeSensorSource(d),
            status: state?.status ?? d.defaultStatus,
            statusSource: state ? ('stored' as const) : ('default' as const),
            minimumIntervalSeconds: d.minimumIntervalSeconds,
            timeoutSeconds: d.timeoutSeconds,
            cursor: state?.cursor ?? null,
            lastTick: last ? sensorTickView(last) : null,
            select: d.select ?? null,
            description: d.description ?? null,
          };
        }),
      );
      return { sensors: views };
    },
    async sensorStates() {
      return { states: (await sensors.listSensorStates()).map(sensorStateView) };
    },
    async setSensorState({ params: { name }, body }) {
      return { state: sensorStateView(await sensors.setSensorStatus(name, body.status, new Date())) };
    },
    async setSensorCursor({ params: { name }, body }) {
      return { state: sensorStateView(await sensors.setSensorCursor(name, body.cursor, body.defaultStatus ?? 'STOPPED', new Date())) };
    },
    async sensorTicks({ params: { name }, query }) {
      return { ticks: (await sensors.listSensorTicks(name, { limit: query.limit })).map(sensorTickView) };
    },
    previewSensor({ params: { name } }) {
      const sensor = defined(deps, name);
      const host = { instance: deps.instance, graph: deps.graph, storage: sensors, resources: deps.sensorResources ?? (async () => ({})), log: deps.sensorLog ?? (() => silent) };
      return previewSensor(host, sensor, new Date());
    },
  };
}
