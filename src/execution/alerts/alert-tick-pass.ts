import type { AlertDefinition } from '../../core/alert/alert-definition.js';
import { heartbeatStaleEvent, runLongRunningEvent, scheduleLateEvent, tickFailureEvent, type AlertEvent, type AlertTickSource } from '../../core/alert/alert-event.js';
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
  const deliveries = deliveriesFor(events, host.definitions, host.graph, host.env);
  // Events with a threshold of their own alert: computed per alert, delivered to that alert only.
  for (const alert of host.definitions) {
    const own: AlertEvent[] = [];
    if (alert.on.includes('run_long_running') && alert.longRunningMinutes !== undefined) own.push(...(await longRunning(host, alert.longRunningMinutes)));
    if (alert.on.includes('schedule_late')) own.push(...(await lateTicks(host, alert.scheduleLateSeconds * 1000)));
    if (own.length > 0) deliveries.push(...deliveriesFor(own, [alert], host.graph, host.env));
  }
  return host.instance.alerts.insertDeliveries(deliveries, host.now());
}

type Host = Parameters<typeof runAlertTickPass>[0];

/** run_long_running: runs STARTED (or CANCELING) for `minutes` or more; one event per run. */
async function longRunning(host: Host, minutes: number): Promise<AlertEvent[]> {
  const nowMs = host.now().getTime();
  const runs = await host.instance.alerts.runsStartedBefore({ startedBefore: new Date(nowMs - minutes * 60_000), limit: 1000 });
  return runs.flatMap((run) => runLongRunningEvent(run, nowMs, minutes) ?? []);
}

/**
 * schedule_late: for each RUNNING schedule, its latest tick at least `graceMs` old (not before the
 * schedule was started) must have been claimed within `graceMs`; else it was missed or late.
 */
async function lateTicks(host: Host, graceMs: number): Promise<AlertEvent[]> {
  const now = host.now();
  const states = new Map((await host.instance.schedules.listScheduleStates()).map((s) => [s.name, s]));
  const out: AlertEvent[] = [];
  for (const source of host.sources) {
    const state = states.get(source.name);
    if (source.kind !== 'schedule' || !source.latestTick || state?.status !== 'RUNNING' || !state.startedAt) continue;
    const due = source.latestTick(new Date(state.startedAt.getTime() - 1), new Date(now.getTime() - graceMs));
    if (!due) continue;
    const [tick] = await host.instance.schedules.listTicks(source.name, { scheduledFor: due, limit: 1 });
    const event = scheduleLateEvent(source, due, tick?.claimedAt, now.getTime(), graceMs);
    if (event) out.push(event);
  }
  return out;
}
