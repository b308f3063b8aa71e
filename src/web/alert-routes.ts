import type { AlertDeliveryRecord, Instance } from '../storage/instance.js';
import type { Handlers } from './api-dispatch.js';
import type { AlertDeliveriesView, AlertDeliveryView } from './api-views.js';

export function alertDeliveryView(d: AlertDeliveryRecord): AlertDeliveryView {
  const runId = typeof d.payload.runId === 'string' ? d.payload.runId : null;
  return {
    id: d.id,
    idempotencyKey: d.idempotencyKey,
    alert: d.alert,
    channel: d.channel,
    event: d.eventType,
    runId,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.nextAttemptAt.toISOString(),
    lastError: d.lastError,
    createdAt: d.createdAt.toISOString(),
    sentAt: d.sentAt?.toISOString() ?? null,
  };
}

/** The outbox as the API shows it: counts per alert, channel and status, and the `limit` newest deliveries. */
export async function alertDeliveries(instance: Instance, limit: number): Promise<AlertDeliveriesView> {
  const [counts, recent] = await Promise.all([instance.alerts.countDeliveries(), instance.alerts.listDeliveries({ limit })]);
  return { counts, recent: recent.map(alertDeliveryView) };
}

/** The alert routes: the outbox (read only). */
export function alertHandlers(deps: { readonly instance: Instance }): Handlers<'alertDeliveries'> {
  return {
    alertDeliveries({ query }) {
      return alertDeliveries(deps.instance, query.limit);
    },
  };
}
