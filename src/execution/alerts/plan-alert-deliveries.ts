import { channelId, channelRequiredEnv, type AlertChannel } from '../../core/alert/alert-channels.js';
import type { AlertDefinition } from '../../core/alert/alert-definition.js';
import { toAlertEvent, type AlertEvent } from '../../core/alert/alert-event.js';
import type { AssetGraph } from '../../core/graph/asset-graph.js';
import { selectAssets } from '../../core/selection/index.js';
import type { AlertSourceEvent, NewAlertDelivery } from '../../storage/alert-storage.js';

/** A channel is active when the variable it needs is set (non-empty) in the daemon's environment. */
export function channelActive(channel: AlertChannel, env: Readonly<Record<string, string | undefined>>): boolean {
  return (env[channelRequiredEnv(channel)] ?? '') !== '';
}

/**
 * The deliveries alert events yield: for each event an alert listens to (and whose assets its
 * `select` matches; an event with no assets matches any), one per active channel, keyed
 * `alert:channel:event identity`. Never reads a secret: the payload holds the event's ids and
 * details only.
 */
export function deliveriesFor(events: readonly AlertEvent[], alerts: readonly AlertDefinition[], graph: AssetGraph, env: Readonly<Record<string, string | undefined>>): NewAlertDelivery[] {
  const selections = new Map<string, ReadonlySet<string> | undefined>();
  const selected = (alert: AlertDefinition): ReadonlySet<string> | undefined => {
    if (!selections.has(alert.name)) selections.set(alert.name, alert.select === undefined ? undefined : selectAssets(alert.select, graph));
    return selections.get(alert.name);
  };
  const out: NewAlertDelivery[] = [];
  for (const event of events) {
    for (const alert of alerts) {
      if (!alert.on.includes(event.type)) continue;
      const assets = selected(alert);
      if (assets && event.assetKeys.length > 0 && !event.assetKeys.some((key) => assets.has(key))) continue;
      for (const channel of alert.channels) {
        if (!channelActive(channel, env)) continue;
        const channelKey = channelId(channel);
        out.push({
          idempotencyKey: `${alert.name}:${channelKey}:${event.identity}`,
          alert: alert.name,
          channel: channelKey,
          eventType: event.type,
          payload: { event: event.type, runId: event.runId, stepKey: event.stepKey, at: event.at.toISOString(), detail: event.detail },
        });
      }
    }
  }
  return out;
}

/** The deliveries a page of the event log yields (see deliveriesFor). */
export function planAlertDeliveries(events: readonly AlertSourceEvent[], alerts: readonly AlertDefinition[], graph: AssetGraph, env: Readonly<Record<string, string | undefined>>): NewAlertDelivery[] {
  return deliveriesFor(
    events.flatMap((e) => toAlertEvent(e) ?? []),
    alerts,
    graph,
    env,
  );
}
