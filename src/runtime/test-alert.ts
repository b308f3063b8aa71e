import { randomUUID } from 'node:crypto';
import { channelId } from '../core/alert/alert-channels.js';
import type { AlertDefinition } from '../core/alert/alert-definition.js';
import { toErrorInfo } from '../core/events.js';
import { Redactor } from '../core/redactor.js';
import { alertMessage, channelSecrets } from '../execution/alerts/deliver-alerts.js';
import { channelActive } from '../execution/alerts/plan-alert-deliveries.js';
import { sendAlert } from '../execution/alerts/send-alert.js';

/** What one channel did with a test message. */
export interface AlertTestResult {
  readonly channel: string;
  readonly outcome: 'sent' | 'failed' | 'inactive';
  /** Why it failed or is inactive (redacted: no URL, secret or password). */
  readonly detail: string | null;
}

/**
 * `sluice alerts test NAME`: sends a test message (event `test`, its own idempotency key) through
 * each of the alert's channels now, from this process and with its environment, and writes
 * nothing to the outbox. A channel whose variable is unset is reported inactive, not sent.
 */
export async function testAlert(alert: AlertDefinition, env: Readonly<Record<string, string | undefined>>, dashboardUrl: string | undefined): Promise<AlertTestResult[]> {
  const redactor = new Redactor(channelSecrets([alert], env));
  const key = `${alert.name}:test:${randomUUID()}`;
  const results: AlertTestResult[] = [];
  for (const channel of alert.channels) {
    const id = channelId(channel);
    if (!channelActive(channel, env)) {
      results.push({ channel: id, outcome: 'inactive', detail: `${id.split(':')[1]} is not set` });
      continue;
    }
    const message = alertMessage({ idempotencyKey: `${key}:${id}`, alert: alert.name, payload: { event: 'test', runId: null, stepKey: null, at: new Date().toISOString(), detail: {} } }, dashboardUrl, true);
    try {
      await sendAlert(channel, message, env);
      results.push({ channel: id, outcome: 'sent', detail: null });
    } catch (error) {
      results.push({ channel: id, outcome: 'failed', detail: redactor.string(toErrorInfo(error).message) });
    }
  }
  return results;
}
