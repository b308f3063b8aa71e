import type { Runtime } from './runtime.js';

/** What a preview in this process evaluates with: the project's sensors, its resources, its logger. */
export function projectSensors(runtime: Runtime) {
  return {
    definitions: runtime.project.sensors.map((s) => s.definition),
    resources: (map: Parameters<Runtime['resources']['resolve']>[0]) => runtime.resources.resolve(map),
    log: (sensor: string) => runtime.logger.child({ sensor }),
  };
}
