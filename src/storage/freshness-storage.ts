import type { FreshnessLevel, FreshnessResult } from '../core/freshness/evaluate-freshness.js';
import type { NewAlertDelivery } from './alert-storage.js';

/** The current verdict of one freshness policy or deadline on one (asset, partition): the verdict as evaluated, and when it was written (the change). */
export interface FreshnessStateRecord extends FreshnessResult {
  readonly since: Date;
}

/** One change of a verdict: a violation (WARN, FAIL) or a recovery (PASS, `recovers` = the violation it ends). */
export interface FreshnessResultRecord extends Omit<FreshnessStateRecord, 'since'> {
  readonly id: number;
  readonly recovers: string | null;
  readonly at: Date;
}

/** A verdict to write, if the stored one is still `before` (null: none stored yet). */
export interface FreshnessChange {
  readonly state: Omit<FreshnessStateRecord, 'since'>;
  readonly before: { readonly level: FreshnessLevel; readonly violationKey: string | null } | null;
  /** The alert deliveries of the change (freshness_violation), written with it. */
  readonly deliveries: readonly NewAlertDelivery[];
}

/**
 * Freshness and deadline verdicts: the current one per (asset, kind, partition), and the history of
 * changes. A change, its history row and its alert deliveries are one transaction, guarded by a
 * compare-and-set on the stored verdict, so a change is written (and alerted) once however many
 * checkers see it.
 */
export interface FreshnessStorage {
  /** Current verdicts (of `assetKeys` when given), by asset, kind, partition. */
  listFreshnessStates(assetKeys?: readonly string[]): Promise<FreshnessStateRecord[]>;
  /**
   * One transaction: moves the verdict from `before` to `state` (only if it is still `before`:
   * else writes nothing, committed false), appends the history row, and inserts the deliveries
   * whose idempotency key is new (returns how many were).
   */
  recordFreshnessChange(change: FreshnessChange, at: Date): Promise<{ committed: boolean; inserted: number }>;
  /** When this store first checked each (asset, kind) of `assetKeys`: its first change's time, keyed `asset kind` (space-separated). */
  firstChecks(assetKeys: readonly string[]): Promise<Map<string, Date>>;
  /** The asset's verdict changes, newest first. */
  freshnessResults(assetKey: string, options?: { limit?: number }): Promise<FreshnessResultRecord[]>;
}
