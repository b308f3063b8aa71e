import type { SensorDefinition } from './sensor-definition.js';

/** What a sensor watches, in a few words (`assets group:raw (+checks)`, `runs FAILURE of *`, `standard`). */
export function describeSensorSource(sensor: SensorDefinition): string {
  const source = sensor.source;
  if (source.type === 'asset') return `assets ${source.assets}${source.includeChecks ? ' (+checks)' : ''}${source.includeObservations ? ' (+observations)' : ''}`;
  if (source.type === 'run_status') return `runs ${source.statuses.join('|')}${source.runSelect ? ` of ${source.runSelect}` : ''}`;
  return 'standard';
}
