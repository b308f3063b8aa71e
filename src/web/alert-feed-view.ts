import { channelId, type AlertChannel } from '../core/alert/alert-channels.js';
import type { AlertDefinition } from '../core/alert/alert-definition.js';
import { channelHealth } from '../core/alert/channel-health.js';
import type { AlertDeliveryCount, AlertDeliveryRecord } from '../storage/alert-storage.js';
import type { AlertChannelView, AlertPolicyView } from './api-views.js';

/** The variables a channel reads: names only (their values are secrets). */
function channelEnv(channel: AlertChannel): string[] {
  if (channel.type === 'webhook') return channel.secretEnv === undefined ? [channel.urlEnv] : [channel.urlEnv, channel.secretEnv];
  return [channel.type === 'slack' ? channel.webhookUrlEnv : channel.smtpUrlEnv];
}

/**
 * Each alert policy the project defines, with its channels' delivery counts and health (judged by
 * the newest delivery through it: `failing` when that one was given up). Built from the outbox's
 * counts and newest deliveries; nothing here reads an environment variable's value.
 */
export function alertPolicyViews(definitions: readonly AlertDefinition[], counts: readonly AlertDeliveryCount[], latest: readonly AlertDeliveryRecord[]): AlertPolicyView[] {
  const key = (alert: string, channel: string) => `${alert}\u0000${channel}`;
  const newest = new Map(latest.map((d) => [key(d.alert, d.channel), d]));
  const tally = new Map<string, { PENDING: number; SENT: number; FAILED: number }>();
  for (const c of counts) {
    const entry = tally.get(key(c.alert, c.channel)) ?? { PENDING: 0, SENT: 0, FAILED: 0 };
    entry[c.status] += c.count;
    tally.set(key(c.alert, c.channel), entry);
  }
  return definitions.map((alert) => ({
    name: alert.name,
    description: alert.description ?? null,
    on: [...alert.on],
    select: alert.select ?? null,
    channels: alert.channels.map((channel): AlertChannelView => {
      const id = channelId(channel);
      const last = newest.get(key(alert.name, id));
      return {
        id,
        type: channel.type,
        env: channelEnv(channel),
        to: channel.type === 'email' ? [...channel.to] : null,
        counts: tally.get(key(alert.name, id)) ?? { PENDING: 0, SENT: 0, FAILED: 0 },
        health: channelHealth(last),
        lastError: last?.lastError ?? null,
        lastRaisedAt: last ? last.createdAt.toISOString() : null,
      };
    }),
  }));
}
