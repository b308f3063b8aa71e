import type { ErrorInfo } from '../core/events.js';
import type { ScheduleStatus } from '../core/schedule/schedule-definition.js';

/** The persisted state of a schedule (its definition lives in code). */
export interface ScheduleState {
  readonly name: string;
  readonly status: ScheduleStatus;
  /** When it last went to RUNNING: no tick scheduled before this is ever launched. Null if never started. */
  readonly startedAt: Date | null;
  /** The last scheduled instant a scheduler evaluated; null before the first. Only moves forward. */
  readonly cursor: Date | null;
  readonly updatedAt: Date;
}

export type TickStatus = 'STARTED' | 'SUCCESS' | 'SKIPPED' | 'FAILURE';

/** One decided tick of a schedule: unique per (schedule, scheduledFor). */
export interface TickRecord {
  readonly id: number;
  readonly schedule: string;
  readonly scheduledFor: Date;
  readonly status: TickStatus;
  /** The run launched for it (SUCCESS). */
  readonly runId: string | null;
  /** Why it launched nothing (SKIPPED). */
  readonly reason: string | null;
  /** Why launching failed (FAILURE). */
  readonly error: ErrorInfo | null;
  /** The process that claimed it. */
  readonly claimedBy: string;
  readonly claimedAt: Date;
  readonly endedAt: Date | null;
}

/** How a claimed tick ended. */
export type TickOutcome =
  | { readonly status: 'SUCCESS'; readonly runId: string }
  | { readonly status: 'SKIPPED'; readonly reason: string }
  | { readonly status: 'FAILURE'; readonly error: ErrorInfo };

/** The persisted state of schedules (RUNNING/STOPPED, cursor) and their ticks (claimed once). */
export interface ScheduleStorage {
  /**
   * The schedule's state; when it has none yet, first writes `defaultStatus` (RUNNING with
   * startedAt = `at`). Concurrent callers all get the one row that won.
   */
  ensureScheduleState(name: string, defaultStatus: ScheduleStatus, at: Date): Promise<ScheduleState>;
  /**
   * Sets the status (creating the row if needed). STOPPED -> RUNNING (or a first RUNNING) sets
   * startedAt = `at`; RUNNING -> RUNNING keeps the earlier startedAt. The cursor is kept.
   */
  setScheduleStatus(name: string, status: ScheduleStatus, at: Date): Promise<ScheduleState>;
  getScheduleState(name: string): Promise<ScheduleState | undefined>;
  /** Every schedule state, by name. */
  listScheduleStates(): Promise<ScheduleState[]>;
  /** Moves the cursor forward to `cursor` (never back); does nothing for a schedule without a row. */
  advanceScheduleCursor(name: string, cursor: Date, at: Date): Promise<void>;
  /**
   * Claims a tick: inserts its STARTED row unless (schedule, scheduledFor) exists. Returns the new
   * row, or undefined when another claimer already has it (exactly one of concurrent claimers wins).
   */
  claimTick(tick: { schedule: string; scheduledFor: Date; claimedBy: string; at: Date }): Promise<TickRecord | undefined>;
  /** STARTED -> the outcome. Returns false (and writes nothing) when the tick was not STARTED. */
  finishTick(id: number, outcome: TickOutcome, at: Date): Promise<boolean>;
  /** The schedule's ticks, latest scheduled instant first (with `scheduledFor`: only the tick of that instant). */
  listTicks(schedule: string, options?: { limit?: number; statuses?: readonly TickStatus[]; scheduledFor?: Date }): Promise<TickRecord[]>;
}
