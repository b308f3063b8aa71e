import { createHash, createHmac } from 'node:crypto';
import type nodemailer from 'nodemailer';
import type { AlertChannel } from '../../core/alert/alert-channels.js';
import { alertSubject, alertText, slackBody, webhookBody, type AlertMessage } from '../../core/alert/alert-message.js';
import { SluiceError } from '../../core/errors.js';

/** The webhook's signature header: `sha256=<hex HMAC-SHA256 of the raw body with the shared secret>`. */
export const SIGNATURE_HEADER = 'x-sluice-signature';
/** Every channel carries the delivery's key, so a receiver can drop the (rare) resend after a crash. */
export const IDEMPOTENCY_HEADER = 'x-sluice-idempotency-key';

export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function required(env: Readonly<Record<string, string | undefined>>, name: string, channel: string): string {
  const value = env[name];
  if (!value) throw new SluiceError('ALERT_CHANNEL_INACTIVE', `${channel}: environment variable ${name} is not set in the daemon; set it and restart the daemon`, { env: name });
  return value;
}

/** Why a request failed, without its URL (the URL may hold a token): the status, or the network error's code. */
function describeFailure(channel: string, error: unknown): SluiceError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const what = cause?.code ?? (error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : error instanceof Error ? error.message : String(error));
  return new SluiceError('ALERT_SEND_FAILED', `${channel}: request failed (${what})`, { channel });
}

async function post(channel: string, url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw describeFailure(channel, error);
  }
  await response.body?.cancel().catch(() => undefined);
  if (!response.ok) throw new SluiceError('ALERT_SEND_FAILED', `${channel}: the receiver answered HTTP ${response.status}`, { channel, status: response.status });
}

/**
 * Sends one message through one channel now, reading its URL/secret/SMTP URL from `env`. Throws a
 * SluiceError (without the URL) when it was not accepted: a non-2xx answer, a network error, a
 * timeout, an SMTP refusal.
 */
export async function sendAlert(channel: AlertChannel, message: AlertMessage, env: Readonly<Record<string, string | undefined>>, options: { timeoutMs?: number; from?: string } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (channel.type === 'webhook') {
    const url = required(env, channel.urlEnv, 'webhook');
    const body = webhookBody(message);
    const secret = channel.secretEnv === undefined ? undefined : required(env, channel.secretEnv, 'webhook');
    await post(`webhook ${channel.urlEnv}`, url, body, { [IDEMPOTENCY_HEADER]: message.idempotencyKey, ...(secret ? { [SIGNATURE_HEADER]: signBody(body, secret) } : {}) }, timeoutMs);
    return;
  }
  if (channel.type === 'slack') {
    const url = required(env, channel.webhookUrlEnv, 'slack');
    await post(`slack ${channel.webhookUrlEnv}`, url, JSON.stringify(slackBody(message)), { [IDEMPOTENCY_HEADER]: message.idempotencyKey }, timeoutMs);
    return;
  }
  const smtpUrl = required(env, channel.smtpUrlEnv, 'email');
  // Loaded on the first email: ~0.15 s of CPU a daemon without an email channel never spends.
  const { default: mailer } = await import('nodemailer');
  const transport = mailer.createTransport({ url: smtpUrl, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs } as Parameters<typeof nodemailer.createTransport>[0]);
  try {
    await transport.sendMail({
      from: channel.from ?? options.from ?? 'Sluice <sluice@localhost>',
      to: [...channel.to],
      subject: alertSubject(message),
      text: alertText(message),
      // The same key gives the same Message-ID, so a mail system can drop a resend too.
      messageId: `<${createHash('sha256').update(message.idempotencyKey).digest('hex').slice(0, 32)}@sluice.alerts>`,
      headers: { [IDEMPOTENCY_HEADER]: message.idempotencyKey },
    });
  } catch (error) {
    const code = (error as { code?: string; responseCode?: number }).code;
    const responseCode = (error as { responseCode?: number }).responseCode;
    throw new SluiceError('ALERT_SEND_FAILED', `email ${channel.smtpUrlEnv}: SMTP send failed (${[code, responseCode].filter(Boolean).join(' ') || 'error'})`, { channel: 'email' });
  } finally {
    transport.close();
  }
}
