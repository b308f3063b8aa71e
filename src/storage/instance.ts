import type { AutomationStorage } from './automation-storage.js';
import type { BackfillStorage } from './backfill-storage.js';
import type { CoordinationStorage } from './coordination-storage.js';
import type { EventLogStorage } from './event-log-storage.js';
import type { RunConfigStorage } from './run-config-storage.js';
import type { RunStorage } from './run-storage.js';
import type { ScheduleStorage } from './schedule-storage.js';
import type { SensorStorage } from './sensor-storage.js';
import type { AlertStorage } from './alert-storage.js';
import type { FreshnessStorage } from './freshness-storage.js';

export type {
  AssetEvaluationRecord,
  AutomationCheckResult,
  AutomationEvaluationRecord,
  AutomationMaterialization,
  AutomationPartitionState,
  AutomationState,
  AutomationStatus,
  AutomationStorage,
  InProgressStep,
  NewAssetEvaluation,
  NewAutomationEvaluation,
} from './automation-storage.js';
export type { BackfillPolicy, BackfillRecord, BackfillRunRecord, BackfillStatus, BackfillStorage, NewBackfill } from './backfill-storage.js';
export type { AssetLockRecord, CoordinationStorage, Heartbeat } from './coordination-storage.js';
export type { AssetCursorRecord, AssetPartitionRecord, CheckResultRecord, EventLogStorage, MaterializationRecord, ObservationRecord } from './event-log-storage.js';
export type { RunConfigRecord, RunConfigStorage, RunConfigSummary } from './run-config-storage.js';
export type {
  AssetObservation,
  FinishStepResult,
  ListRunsOptions,
  NewRun,
  RunRecord,
  RunStepStats,
  RunStorage,
  StartStepResult,
  StepOutcome,
  StepRecord,
  StepReports,
} from './run-storage.js';
export type { ScheduleState, ScheduleStorage, TickOutcome, TickRecord, TickStatus } from './schedule-storage.js';
export type { AlertAttemptOutcome, AlertAttemptRecord, AlertDeliveryCount, AlertDeliveryRecord, AlertDeliveryStatus, AlertSourceEvent, AlertStorage, NewAlertDelivery } from './alert-storage.js';
export type { FreshnessChange, FreshnessResultRecord, FreshnessStateRecord, FreshnessStorage } from './freshness-storage.js';
export type { CommittedSensorTick, FeedWatermark, SensorState, SensorStorage, SensorTickCommit, SensorTickRecord, SensorTickRun, SensorTickStatus } from './sensor-storage.js';

/**
 * The one seam to storage, split by concern the way Dagster splits its instance (run storage, event
 * log storage, schedule storage): each concern is its own interface with its own contract suite,
 * and code that needs one concern takes that interface, not the whole Instance. Every state change
 * of runs and steps goes through `runs` and is committed before it is announced anywhere else.
 * Implementation: kysely over server Postgres or PGlite (kysely-instance.ts). The records of every
 * concern are re-exported here, so a caller can import them from one place.
 */
export interface Instance {
  readonly dialect: 'postgres' | 'pglite';
  /** Runs and steps: lifecycle, readiness, step outcomes (with what they produced). */
  readonly runs: RunStorage;
  /** Events, materializations, check results, asset partitions, cursors. */
  readonly eventLog: EventLogStorage;
  /** Schedule states and ticks. */
  readonly schedules: ScheduleStorage;
  /** Heartbeats, leases, asset locks. */
  readonly coordination: CoordinationStorage;
  /** Named run configs. */
  readonly configs: RunConfigStorage;
  /** Backfills and the runs they launch. */
  readonly backfills: BackfillStorage;
  /** Sensor states, ticks (committed with their runs in one transaction) and run keys. */
  readonly sensors: SensorStorage;
  /** Declarative automation: the loop's state, its evaluations, the reads it needs. */
  readonly automation: AutomationStorage;
  /** The alerts outbox: its feed cursor, deliveries and their attempts. */
  readonly alerts: AlertStorage;
  /** Freshness and deadline verdicts (current, and their changes), written with their alerts. */
  readonly freshness: FreshnessStorage;
  /** Releases the connection(s); a second call does nothing. */
  close(): Promise<void>;
}
