import { SluiceError } from '../errors.js';

/**
 * Where an alert goes. Only the NAMES of environment variables are kept: the URL, secret and SMTP
 * URL are read from the daemon's environment when a message is sent, so no secret is ever in a
 * definition, an outbox row, a payload or a log. A channel whose variable is unset is inactive.
 */
export type AlertChannel =
  | { readonly type: 'webhook'; readonly urlEnv: string; readonly secretEnv: string | undefined }
  | { readonly type: 'slack'; readonly webhookUrlEnv: string }
  | { readonly type: 'email'; readonly to: readonly string[]; readonly smtpUrlEnv: string; readonly from: string | undefined };

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

function invalidChannel(kind: string, message: string): SluiceError {
  return new SluiceError('INVALID_DEFINITION', `${kind}(): ${message}`, { channel: kind });
}

function envName(kind: string, field: string, value: unknown): string {
  if (typeof value !== 'string' || !ENV_NAME.test(value)) {
    throw invalidChannel(kind, `${field} must be the NAME of an environment variable such as "ALERT_WEBHOOK_URL" (got ${JSON.stringify(value)}); secrets come only from the environment`);
  }
  return value;
}

/** A JSON POST to the URL in `urlEnv`, signed (HMAC-SHA256 of the body, header `x-sluice-signature`) with the secret in `secretEnv`. */
export function webhook(spec: { urlEnv: string; secretEnv?: string }): AlertChannel {
  return Object.freeze({
    type: 'webhook' as const,
    urlEnv: envName('webhook', 'urlEnv', spec?.urlEnv),
    secretEnv: spec?.secretEnv === undefined ? undefined : envName('webhook', 'secretEnv', spec.secretEnv),
  });
}

/** A Slack incoming webhook whose URL is in `webhookUrlEnv`. */
export function slack(spec: { webhookUrlEnv: string }): AlertChannel {
  return Object.freeze({ type: 'slack' as const, webhookUrlEnv: envName('slack', 'webhookUrlEnv', spec?.webhookUrlEnv) });
}

/** Email to `to` over SMTP; `smtpUrlEnv` names a variable holding `smtp://user:pass@host:port` (or `smtps://`); `from` defaults to `sluice@localhost`. */
export function email(spec: { to: string | readonly string[]; smtpUrlEnv: string; from?: string }): AlertChannel {
  const to = typeof spec?.to === 'string' ? [spec.to] : spec?.to;
  if (!Array.isArray(to) || to.length === 0 || !to.every((address) => typeof address === 'string' && EMAIL.test(address))) {
    throw invalidChannel('email', `to must be an email address or a non-empty list of them (got ${JSON.stringify(spec?.to)})`);
  }
  if (spec.from !== undefined && (typeof spec.from !== 'string' || !/[^\s@]+@[^\s@>]+/.test(spec.from))) {
    throw invalidChannel('email', `from must be an address such as "Sluice <alerts@example.com>" (got ${JSON.stringify(spec.from)})`);
  }
  return Object.freeze({ type: 'email' as const, to: Object.freeze([...(to as string[])]), smtpUrlEnv: envName('email', 'smtpUrlEnv', spec.smtpUrlEnv), from: spec.from });
}

/** The environment variables a channel needs set to be active (the secret is optional). */
export function channelRequiredEnv(channel: AlertChannel): string {
  return channel.type === 'webhook' ? channel.urlEnv : channel.type === 'slack' ? channel.webhookUrlEnv : channel.smtpUrlEnv;
}

/** A stable, secret-free id of a channel within its alert: `webhook:ALERT_URL`. */
export function channelId(channel: AlertChannel): string {
  return `${channel.type}:${channelRequiredEnv(channel)}`;
}
