/** The alert events the feed reads, each with the run's asset keys (every step's). */
export interface AlertSourceEvent {
  /** The event's id in the event log (the feed's cursor moves past it). */
  readonly id: number;
  readonly type: 'RUN_SUCCESS' | 'RUN_FAILURE' | 'RUN_CANCELED' | 'STEP_FAILED' | 'CHECK_EVALUATION';
  readonly runId: string;
  readonly stepKey: string | null;
  readonly at: Date;
  readonly data: Readonly<Record<string, unknown>>;
  readonly assetKeys: readonly string[];
}

export type AlertDeliveryStatus = 'PENDING' | 'SENT' | 'FAILED';

/** One message to send: an alert's event through one of its channels. */
export interface NewAlertDelivery {
  /** `alert:channel:event identity`; unique: an event never produces two deliveries through one channel. */
  readonly idempotencyKey: string;
  readonly alert: string;
  /** The channel's secret-free id (`webhook:ALERT_URL`). */
  readonly channel: string;
  readonly eventType: string;
  /** What the message says (run id, step, asset, check...): never a secret. */
  readonly payload: Readonly<Record<string, unknown>>;
}

export interface AlertDeliveryRecord extends NewAlertDelivery {
  readonly id: number;
  readonly status: AlertDeliveryStatus;
  /** Attempts made so far. */
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly claimedBy: string | null;
  readonly claimExpiresAt: Date | null;
  readonly lastError: string | null;
  readonly createdAt: Date;
  readonly sentAt: Date | null;
}

export interface AlertAttemptRecord {
  readonly deliveryId: number;
  readonly attempt: number;
  readonly at: Date;
  readonly ok: boolean;
  readonly error: string | null;
}

/** What one attempt ended with: SENT, or an error and either a retry time or FAILED for good. */
export type AlertAttemptOutcome = { readonly status: 'SENT' } | { readonly status: 'RETRY'; readonly error: string; readonly nextAttemptAt: Date } | { readonly status: 'FAILED'; readonly error: string };

/** Per alert, channel and status: how many deliveries, and the newest error. */
export interface AlertDeliveryCount {
  readonly alert: string;
  readonly channel: string;
  readonly status: AlertDeliveryStatus;
  readonly count: number;
  readonly lastError: string | null;
}

/**
 * The alerts outbox. The feed's cursor (over the event log) and the deliveries it produces are
 * committed in one transaction (`commitAlertFeed`), and a delivery's idempotency key is unique, so
 * each event yields one delivery per alert and channel, however often or by however many daemons
 * it is read. The delivery loop claims due deliveries (one claimer at a time per row) and records
 * each attempt with the delivery's new state in one transaction.
 */
export interface AlertStorage {
  /** The feed's cursor (null before the first commit). */
  getAlertFeedCursor(feed: string): Promise<string | null>;
  /**
   * One transaction: moves the feed's cursor from `cursorBefore` to `cursorAfter` (only if it is
   * still `cursorBefore`: else writes nothing and returns committed false) and inserts the
   * deliveries whose key is new (returns how many were).
   */
  commitAlertFeed(commit: { feed: string; cursorBefore: string | null; cursorAfter: string; deliveries: readonly NewAlertDelivery[]; at: Date }): Promise<{ committed: boolean; inserted: number }>;
  /** Inserts the deliveries whose key is new (events found without a feed: tick failures); returns how many were. */
  insertDeliveries(deliveries: readonly NewAlertDelivery[], at: Date): Promise<number>;
  /** Run ends, step failures and check evaluations with an event id after `afterId` (at most `upToId`), in id order. */
  alertEventsAfter(feed: { afterId: number; upToId: number; limit: number }): Promise<AlertSourceEvent[]>;
  /** Runs STARTED or CANCELING that started at or before `startedBefore` (oldest first, at most `limit`), with the asset keys of their steps: run_long_running's candidates. */
  runsStartedBefore(query: { startedBefore: Date; limit: number }): Promise<{ id: string; startedAt: Date; assetKeys: string[] }[]>;
  /** Claims up to `limit` PENDING deliveries due at `at` with no live claim, for `claimedBy` until `at + ttlMs`; oldest first. */
  claimDueDeliveries(claim: { claimedBy: string; at: Date; ttlMs: number; limit: number }): Promise<AlertDeliveryRecord[]>;
  /** One transaction: records the attempt and the delivery's new state, if `claimedBy` still holds it (else false, nothing written). */
  recordDeliveryAttempt(attempt: { id: number; claimedBy: string; at: Date; outcome: AlertAttemptOutcome }): Promise<boolean>;
  getDelivery(id: number): Promise<AlertDeliveryRecord | undefined>;
  /** Newest first. */
  listDeliveries(options?: { alert?: string; status?: AlertDeliveryStatus; limit?: number }): Promise<AlertDeliveryRecord[]>;
  listDeliveryAttempts(deliveryId: number): Promise<AlertAttemptRecord[]>;
  countDeliveries(): Promise<AlertDeliveryCount[]>;
  /** The newest delivery of each alert and channel (what the dashboard judges a channel's health by), ordered by alert and channel. */
  latestDeliveries(): Promise<AlertDeliveryRecord[]>;
}
