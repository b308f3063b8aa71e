import type { AlertDefinition } from '../../core/alert/alert-definition.js';
import { heartbeatStaleEvent, tickFailureEvent, type AlertEvent, type AlertTickSource } from '../../core/alert/alert-event.js';
import type { AssetGraph } from '../../core/graph/asset-graph.js';
import type { Instance } from '../../storage/instance.js';
import { deliveriesFor } from './plan-alert-deliveries.js';

/**
 * The events found by looking at state rather than the event log: heartbeat_stale (each heartbeat
 * older than the timeout, keyed by the process) and tick_failure: for each schedule and sensor of the project, looks at its two newest ended ticks
 * (SKIPPED left out) and, when the newest FAILED and the one before did not, writes the deliveries
 * of that tick's event. No cursor: the event's identity is the tick, so the unique idempotency key
 * makes every later pass (and every other daemon) write nothing for it. A tick that fails and is
 * followed by a success before a pass looks (passes run every second; ticks are far apart) is not
 * reported. Returns how many deliveries it wrote.
 */
export async function runAlertTickPass(host: {
  readonly instance: Pick<Instance, 'alerts' | 'schedules' | 'sensors' | 'coordination'>;
  /** A heartbeat older than this is stale (the daemon's worker timeout). */
  readonly heartbeatTimeoutMs: number;
  readonly graph: AssetGraph;
  readonly definitions: readonly AlertDefinition[];
  readonly sources: readonly AlertTickSource[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => Date;
}): Promise<number> {
  const events: AlertEvent[] = [];
  if (host.definitions.some((d) => d.on.includes('heartbeat_stale'))) {
    const nowMs = host.now().getTime();
    for (const beat of await host.instance.coordination.listHeartbeats()) {
      const stale = heartbeatStaleEvent(beat, nowMs, host.heartbeatTimeoutMs);
      if (stale) events.push(stale);
    }
  }
  for (const source of host.definitions.some((d) => d.on.includes('tick_failure')) ? host.sources : []) {
    const ticks =
      source.kind === 'schedule'
        ? (await host.instance.schedules.listTicks(source.name, { limit: 2, statuses: ['SUCCESS', 'FAILURE'] })).map((t) => ({ id: t.id, status: t.status, at: t.endedAt ?? t.claimedAt }))
        : (await host.instance.sensors.listSensorTicks(source.name, { limit: 20 })).filter((t) => t.status !== 'SKIPPED').map((t) => ({ id: t.id, status: t.status, at: t.endedAt }));
    const event = tickFailureEvent(source, ticks);
    if (event) events.push(event);
  }
  return host.instance.alerts.insertDeliveries(deliveriesFor(events, host.definitions, host.graph, host.env), host.now());
}
