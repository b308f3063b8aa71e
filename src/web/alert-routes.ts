import type { AlertDefinition } from '../core/alert/alert-definition.js';
import type { AlertDeliveryRecord, Instance } from '../storage/instance.js';
import { alertPolicyViews } from './alert-feed-view.js';
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
    stepKey: typeof d.payload.stepKey === 'string' ? d.payload.stepKey : null,
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

/** The alert routes (read only): the outbox, and the feed the dashboard shows (the project's policies with their channels' health, the newest deliveries). */
export function alertHandlers(deps: { readonly instance: Instance; readonly alerts?: readonly AlertDefinition[] | undefined }): Handlers<'alertDeliveries' | 'alertFeed'> {
  const { alerts } = deps.instance;
  return {
    alertDeliveries({ query }) {
      return alertDeliveries(deps.instance, query.limit);
    },
    async alertFeed({ query }) {
      const [counts, latest, deliveries] = await Promise.all([
        alerts.countDeliveries(),
        alerts.latestDeliveries(),
        alerts.listDeliveries({ limit: query.limit, ...(query.status ? { status: query.status } : {}), ...(query.alert ? { alert: query.alert } : {}) }),
      ]);
      return { policies: alertPolicyViews(deps.alerts ?? [], counts, latest), deliveries: deliveries.map(alertDeliveryView) };
    },
  };
}
