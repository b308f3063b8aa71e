import type { ErrorInfo } from '../core/events.js';
import type { RunStatus } from '../core/run/run-status.js';
import type { AssetEventRecord, RunStatusRecord, SensorStatus } from '../core/sensor/sensor-definition.js';
import type { NewRun, RunRecord } from './run-storage.js';

/** The persisted state of a sensor (its definition lives in code). */
export interface SensorState {
  readonly name: string;
  readonly status: SensorStatus;
  /** What the last committed tick left (or `sensors cursor --set`); null before. */
  readonly cursor: string | null;
  /** When the last committed tick started: the next is due `minimumIntervalSeconds` after. */
  readonly lastTickAt: Date | null;
  /** The daemon evaluating it now (until `claimExpiresAt`), or null. */
  readonly claimedBy: string | null;
  readonly claimExpiresAt: Date | null;
  readonly updatedAt: Date;
}

export type SensorTickStatus = 'SUCCESS' | 'SKIPPED' | 'FAILURE';

export interface SensorTickRecord {
  readonly id: number;
  readonly sensor: string;
  readonly status: SensorTickStatus;
  /** The runs it launched (SUCCESS). */
  readonly runIds: readonly string[];
  /** Requested run keys that had launched a run already, so launched nothing. */
  readonly skippedRunKeys: readonly string[];
  readonly skipReason: string | null;
  readonly error: ErrorInfo | null;
  readonly cursorBefore: string | null;
  /** The cursor after the tick (= before for a FAILURE). */
  readonly cursorAfter: string | null;
  readonly claimedBy: string;
  readonly startedAt: Date;
  readonly endedAt: Date;
}

/** See SensorStorage.feedWatermark. */
export interface FeedWatermark {
  readonly maxEventId: number;
  readonly xmin: string;
  readonly xipMax: string | null;
}

/** A planned run of a tick, with the key that makes it launch at most once. */
export interface SensorTickRun {
  readonly runKey: string | null;
  readonly run: NewRun;
}

/** What a claimed tick commits (see SensorStorage.commitSensorTick). */
export interface SensorTickCommit {
  readonly sensor: string;
  readonly claimedBy: string;
  readonly startedAt: Date;
  readonly endedAt: Date;
  readonly cursorBefore: string | null;
  /** FAILURE keeps the cursor; SUCCESS/SKIPPED store `cursorAfter`. */
  readonly outcome:
    | {
        readonly status: 'EVALUATED';
        readonly cursorAfter: string | null;
        readonly runs: readonly SensorTickRun[];
        readonly skipReason: string | null;
        /** Run keys the caller already found used (they were not planned); listed with the tick's own. */
        readonly skippedRunKeys?: readonly string[];
      }
    | { readonly status: 'FAILURE'; readonly error: ErrorInfo };
}

export interface CommittedSensorTick {
  readonly tick: SensorTickRecord;
  readonly launched: readonly RunRecord[];
}

/**
 * Sensor states (RUNNING/STOPPED, cursor, claim), their ticks and run keys, and the two feeds
 * sensors page through (asset events, run status changes; read from the event log's tables).
 *
 * `commitSensorTick` writes across concerns in one transaction, because the invariant is the
 * tick's: its new cursor, its run keys, its runs (as RunStorage.createRun writes them) and its row
 * are committed together or not at all.
 */
export interface SensorStorage {
  /** The sensor's state; first writes `defaultStatus` when it has none. Concurrent callers get the one row that won. */
  ensureSensorState(name: string, defaultStatus: SensorStatus, at: Date): Promise<SensorState>;
  /** Sets the status (creating the row if needed); the cursor is kept. */
  setSensorStatus(name: string, status: SensorStatus, at: Date): Promise<SensorState>;
  /** Sets the cursor (creating the row with `defaultStatus` if needed); the status is kept. */
  setSensorCursor(name: string, cursor: string | null, defaultStatus: SensorStatus, at: Date): Promise<SensorState>;
  getSensorState(name: string): Promise<SensorState | undefined>;
  listSensorStates(): Promise<SensorState[]>;
  /**
   * Claims the sensor's next tick for `claimedBy` until `at + ttlMs`: only when it is RUNNING, its
   * last tick started at least `minimumIntervalMs` before `at`, and no other claim is live. Returns
   * the state claimed, or undefined (exactly one of concurrent claimers wins).
   */
  claimSensorTick(claim: { name: string; claimedBy: string; at: Date; minimumIntervalMs: number; ttlMs: number }): Promise<SensorState | undefined>;
  /** Gives a claim up without a tick (the daemon stops). */
  releaseSensorClaim(name: string, claimedBy: string): Promise<void>;
  /**
   * One transaction: checks the claim is still `claimedBy`'s (else writes nothing and returns
   * undefined), stores the new cursor and last tick time and clears the claim, records each run key
   * (a key used before, or twice in the tick, launches nothing and is listed in skippedRunKeys), writes
   * the remaining runs QUEUED as createRun does, and writes the tick: SUCCESS when it launched runs,
   * SKIPPED otherwise, FAILURE for a failed evaluation (cursor kept, no runs). A failure anywhere
   * writes nothing.
   */
  commitSensorTick(commit: SensorTickCommit): Promise<CommittedSensorTick | undefined>;
  /** Which of `runKeys` launched a run of the sensor already. */
  usedRunKeys(sensor: string, runKeys: readonly string[]): Promise<Set<string>>;
  /** Newest first. */
  listSensorTicks(sensor: string, options?: { limit?: number }): Promise<SensorTickRecord[]>;
  /** Deletes SKIPPED ticks ended before `skippedBefore` and the others ended before `othersBefore`; returns how many. */
  purgeSensorTicks(cutoffs: { skippedBefore: Date; othersBefore: Date }): Promise<number>;
  /**
   * Where the event log stands, from one snapshot: the highest event id visible, the oldest
   * transaction still running (`xmin`) and the newest one running (`xipMax`, null when none is):
   * ids up to `maxEventId` are final once every transaction running now has ended (see
   * execution/sensor-feed.ts). Transaction ids are 64-bit, as decimal strings.
   */
  feedWatermark(): Promise<FeedWatermark>;
  /** Materializations (and check evaluations) of `assetKeys` with an event id after `afterId` (and at most `upToId`), in id order. */
  assetEventsAfter(feed: { afterId: number; upToId?: number; assetKeys: readonly string[]; includeChecks: boolean; includeObservations?: boolean; limit: number }): Promise<AssetEventRecord[]>;
  /**
   * Run status changes to one of `statuses` with an event id after `afterId`, in id order, each with
   * the run's asset keys (every step's), up to `limit` events (the caller filters by selection).
   */
  runStatusEventsAfter(feed: { afterId: number; upToId?: number; statuses: readonly RunStatus[]; limit: number }): Promise<Array<RunStatusRecord & { readonly assetKeys: readonly string[] }>>;
}
