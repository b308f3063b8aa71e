/**
 * How an alert's channel is doing, judged by its newest delivery:
 * - `ok`: the newest was sent;
 * - `failing`: the newest was given up (FAILED after its attempts or its age): the channel keeps
 *   failing and is no longer retried for that message;
 * - `retrying`: the newest failed at least once and waits for its next attempt;
 * - `pending`: the newest waits for its first attempt;
 * - `idle`: nothing was ever delivered through it.
 */
export type ChannelHealth = 'ok' | 'failing' | 'retrying' | 'pending' | 'idle';

/** The newest delivery of a channel, as far as its health goes. */
export interface LatestDelivery {
  readonly status: 'PENDING' | 'SENT' | 'FAILED';
  readonly attempts: number;
}

/** The health of a channel from its newest delivery (undefined: none). Pure. */
export function channelHealth(latest: LatestDelivery | undefined): ChannelHealth {
  if (!latest) return 'idle';
  if (latest.status === 'SENT') return 'ok';
  if (latest.status === 'FAILED') return 'failing';
  return latest.attempts > 0 ? 'retrying' : 'pending';
}
