import { channelId, type AlertChannel } from '../../core/alert/alert-channels.js';
import type { AlertDefinition } from '../../core/alert/alert-definition.js';
import type { AlertMessage } from '../../core/alert/alert-message.js';
import { toErrorInfo } from '../../core/events.js';
import { Redactor } from '../../core/redactor.js';
import type { AlertAttemptOutcome, AlertDeliveryRecord, AlertStorage } from '../../storage/alert-storage.js';
import { sendAlert } from './send-alert.js';

/** When to give up on a delivery, and how long to wait between attempts. */
export interface AlertRetryPolicy {
  /** Attempts at most, then FAILED (default 8). */
  readonly maxAttempts: number;
  /** A delivery older than this is FAILED after its next failed attempt (default 24 h). */
  readonly maxAgeMs: number;
  /** The wait after the first failure, doubling per failure (default 5 s), up to `maxDelayMs` (default 10 min). */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_ALERT_RETRY: AlertRetryPolicy = { maxAttempts: 8, maxAgeMs: 86_400_000, baseDelayMs: 5_000, maxDelayMs: 600_000 };

export interface AlertDeliveryHost {
  readonly alerts: AlertStorage;
  readonly definitions: readonly AlertDefinition[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly claimedBy: string;
  readonly now: () => Date;
  /** The dashboard's address, for the link to the run page (`<url>/#/runs/<id>`). */
  readonly dashboardUrl: string | undefined;
  /** The project's redactor (its secrets); the channels' own URLs and secrets are added. */
  readonly redactor?: { string(text: string): string };
  readonly retry?: AlertRetryPolicy;
  /** How long a claim lasts: longer than a send (default 60 s). */
  readonly claimTtlMs?: number;
  readonly batch?: number;
  readonly onOutcome?: (channel: string, outcome: AlertAttemptOutcome['status']) => void;
}

/** The outcome of a failed attempt number `attempts` (1-based) of a delivery created at `createdAt`. */
export function afterFailure(error: string, attempts: number, createdAt: Date, now: Date, policy: AlertRetryPolicy): AlertAttemptOutcome {
  if (attempts >= policy.maxAttempts || now.getTime() - createdAt.getTime() >= policy.maxAgeMs) return { status: 'FAILED', error: `${error} (gave up after ${attempts} attempt${attempts === 1 ? '' : 's'})` };
  const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempts - 1));
  return { status: 'RETRY', error, nextAttemptAt: new Date(now.getTime() + delay) };
}

export function alertMessage(delivery: Pick<AlertDeliveryRecord, 'idempotencyKey' | 'alert' | 'payload'>, dashboardUrl: string | undefined, test = false): AlertMessage {
  const p = delivery.payload as { event?: string; runId?: string | null; stepKey?: string | null; at?: string; detail?: Record<string, unknown> };
  const runId = p.runId ?? null;
  return {
    idempotencyKey: delivery.idempotencyKey,
    alert: delivery.alert,
    event: p.event ?? 'unknown',
    runId,
    stepKey: p.stepKey ?? null,
    at: p.at ?? '',
    runUrl: runId && dashboardUrl ? `${dashboardUrl.replace(/\/+$/, '')}/#/runs/${encodeURIComponent(runId)}` : null,
    detail: p.detail ?? {},
    test,
  };
}

/** Every value the channels read from the environment (URLs, secrets, SMTP URLs): redacted from errors. */
export function channelSecrets(definitions: readonly AlertDefinition[], env: Readonly<Record<string, string | undefined>>): string[] {
  const names = definitions.flatMap((d) => d.channels.flatMap((c: AlertChannel) => (c.type === 'webhook' ? [c.urlEnv, c.secretEnv] : c.type === 'slack' ? [c.webhookUrlEnv] : [c.smtpUrlEnv])));
  return names.flatMap((name) => (name && env[name] ? [env[name]] : []));
}

/**
 * Sends the deliveries due now: claims them (one sender per row), sends each, and records the
 * attempt with the delivery's new state (SENT; PENDING again after a backoff; FAILED when attempts
 * or age are spent). A crash after a send and before its record leaves the row claimed: when the
 * claim expires it is sent again, so a receiver may see a key twice (once per such crash) and
 * should drop repeats. Returns how many it attempted.
 */
export async function deliverDueAlerts(host: AlertDeliveryHost): Promise<number> {
  const policy = host.retry ?? DEFAULT_ALERT_RETRY;
  const claimed = await host.alerts.claimDueDeliveries({ claimedBy: host.claimedBy, at: host.now(), ttlMs: host.claimTtlMs ?? 60_000, limit: host.batch ?? 20 });
  if (claimed.length === 0) return 0;
  const redactor = new Redactor(channelSecrets(host.definitions, host.env));
  const redact = (text: string) => redactor.string(host.redactor ? host.redactor.string(text) : text);
  for (const delivery of claimed) {
    const alert = host.definitions.find((d) => d.name === delivery.alert);
    const channel = alert?.channels.find((c) => channelId(c) === delivery.channel);
    let outcome: AlertAttemptOutcome;
    if (!alert || !channel) {
      outcome = { status: 'FAILED', error: `alert "${delivery.alert}" has no channel ${delivery.channel} in the project any more` };
    } else {
      try {
        await sendAlert(channel, alertMessage(delivery, host.dashboardUrl), host.env);
        outcome = { status: 'SENT' };
      } catch (error) {
        outcome = afterFailure(redact(toErrorInfo(error).message), delivery.attempts + 1, delivery.createdAt, host.now(), policy);
      }
    }
    await host.alerts.recordDeliveryAttempt({ id: delivery.id, claimedBy: host.claimedBy, at: host.now(), outcome });
    host.onOutcome?.(delivery.channel.split(':')[0]!, outcome.status);
  }
  return claimed.length;
}
