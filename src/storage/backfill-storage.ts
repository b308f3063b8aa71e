import type { RunStatus } from '../core/run/run-status.js';
import type { NewRun } from './run-storage.js';
import type { BackfillPolicy } from '../core/plan/backfill-policy.js';

/** How a backfill splits its partitions into runs (core/plan/backfill-policy.ts). */
export type { BackfillPolicy };

export type BackfillStatus = 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELING' | 'CANCELED';


export interface NewBackfill {
  readonly id: string;
  readonly selection: string;
  readonly from: string;
  readonly to: string;
  readonly policy: BackfillPolicy;
  readonly maxConcurrentRuns: number | null;
  /** Every partition key it targets, in order (after --only-failed filtering). */
  readonly partitions: readonly string[];
  readonly trigger: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly at: Date;
}

export interface BackfillRecord extends Omit<NewBackfill, 'at'> {
  readonly status: BackfillStatus;
  readonly runCount: number;
  readonly createdAt: Date;
  readonly endedAt: Date | null;
}

/** A run of a backfill, as its progress needs it. */
export interface BackfillRunRecord {
  readonly runId: string;
  readonly status: RunStatus;
  readonly partition: string | null;
}

/**
 * Backfills: a backfill row and its runs. `createBackfill` writes the runs too (as createRun
 * does, each with its backfillId), in the same transaction: a backfill exists with all its runs or
 * not at all. After that its runs are ordinary runs (RunStorage).
 */
export interface BackfillStorage {
  /**
   * Writes the backfill (RUNNING) and all its runs (QUEUED, like createRun, each with
   * backfillId set) in one transaction: thousands of runs in a few bulk statements.
   */
  createBackfill(backfill: NewBackfill, runs: readonly NewRun[]): Promise<BackfillRecord>;
  getBackfill(id: string): Promise<BackfillRecord | undefined>;
  /** Newest first. */
  listBackfills(options?: { limit?: number; statuses?: readonly BackfillStatus[] }): Promise<BackfillRecord[]>;
  /** The backfill's runs, oldest first, then by partition. */
  listBackfillRuns(id: string): Promise<BackfillRunRecord[]>;
  /** RUNNING -> CANCELING (cancel requested). Returns false when it was not RUNNING. */
  requestBackfillCancel(id: string, at: Date): Promise<boolean>;
  /**
   * When none of its runs is QUEUED, STARTED or CANCELING any more: RUNNING -> COMPLETED (every run
   * SUCCESS) or FAILED, CANCELING -> CANCELED. Returns the status after the call.
   */
  finishBackfillIfDone(id: string, at: Date): Promise<BackfillStatus | undefined>;
}
