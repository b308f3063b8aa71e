import { SluiceError } from '../core/errors.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import { RUN_KEY_TAG, SENSOR_TAG } from '../core/run/system-tags.js';
import type { RunRequest, SensorDefinition, SensorLastTick } from '../core/sensor/sensor-definition.js';
import type { Instance, SensorTickRun } from '../storage/instance.js';
import { planRun } from './launch-run.js';

/** The sensor's last tick as `evaluate` sees it. */
export async function lastTickOf(instance: Instance, sensor: string): Promise<SensorLastTick | null> {
  const [last] = await instance.sensors.listSensorTicks(sensor, { limit: 1 });
  return last ? { status: last.status, at: last.startedAt, runIds: last.runIds } : null;
}

/** Plans the run of each request (first of each run key; keys used before are left out and listed). */
export async function planRequests(deps: { instance: Instance; graph: AssetGraph }, sensor: SensorDefinition, requests: readonly RunRequest[], now: Date): Promise<{ runs: SensorTickRun[]; skipped: string[] }> {
  const keys = [...new Set(requests.flatMap((r) => (r.runKey === undefined ? [] : [r.runKey])))];
  const used = await deps.instance.sensors.usedRunKeys(sensor.name, keys);
  const seen = new Set<string>();
  const runs: SensorTickRun[] = [];
  const skipped: string[] = [];
  for (const [index, request] of requests.entries()) {
    const key = request.runKey ?? null;
    if (key !== null && (used.has(key) || seen.has(key))) {
      skipped.push(key);
      continue;
    }
    if (key !== null) seen.add(key);
    const where = `run request ${index + 1} of sensor "${sensor.name}"`;
    const selection = request.select ?? sensor.select;
    if (!selection) throw new SluiceError('INVALID_RUN_REQUEST', `${where} has no select, and the sensor has none; give the request a select or the sensor a default select`, { sensor: sensor.name });
    const run = await planRun(
      { instance: deps.instance, graph: deps.graph },
      {
        selection,
        selectionSource: `select of ${where}`,
        ...(request.config ? { config: request.config } : {}),
        tags: request.tags ?? {},
        tagsSource: `tags of ${where}`,
        systemTags: { [SENSOR_TAG]: sensor.name, ...(key === null ? {} : { [RUN_KEY_TAG]: key }) },
        trigger: `sensor:${sensor.name}`,
        ...(request.partition === undefined ? {} : { partition: request.partition, partitionSource: `partition of ${where}` }),
        now,
      },
    );
    runs.push({ runKey: key, run });
  }
  return { runs, skipped };
}

