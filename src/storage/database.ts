import type { ColumnType, Generated, Kysely } from 'kysely';
import type { Metadata } from '../core/asset/metadata.js';
import type { CheckSeverity } from '../core/checks/check-definition.js';
import type { ErrorInfo } from '../core/events.js';
import type { RunStatus, StepStatus } from '../core/run/run-status.js';
import type { ScheduleStatus } from '../core/schedule/schedule-definition.js';
import type { AutomationCursor, EvaluationNode } from '../core/automation/automation-snapshot.js';

/** The run store's tables as kysely sees them (see migrations/initial-schema.ts, locks-heartbeats-leases.ts, run-counters.ts and schedules-ticks.ts). */
export interface Database {
  runs: RunsTable;
  run_steps: RunStepsTable;
  events: EventsTable;
  materializations: MaterializationsTable;
  check_results: CheckResultsTable;
  run_configs: RunConfigsTable;
  asset_locks: AssetLocksTable;
  heartbeats: HeartbeatsTable;
  leases: LeasesTable;
  schedule_states: ScheduleStatesTable;
  schedule_ticks: ScheduleTicksTable;
  asset_cursors: AssetCursorsTable;
  asset_partitions: AssetPartitionsTable;
  backfills: BackfillsTable;
  sensor_states: SensorStatesTable;
  sensor_ticks: SensorTicksTable;
  sensor_run_keys: SensorRunKeysTable;
  automation_state: AutomationStateTable;
  automation_evaluations: AutomationEvaluationsTable;
  automation_asset_evaluations: AutomationAssetEvaluationsTable;
  alert_feeds: AlertFeedsTable;
  alert_deliveries: AlertDeliveriesTable;
  alert_delivery_attempts: AlertDeliveryAttemptsTable;
  freshness_states: FreshnessStatesTable;
  freshness_results: FreshnessResultsTable;
}

/** timestamptz: written and read as Date (pg and PGlite both parse it). */
type Timestamp = ColumnType<Date, Date, Date>;
type NullableTimestamp = ColumnType<Date | null, Date | null | undefined, Date | null>;
/**
 * jsonb: read parsed, written as JSON text. Values are always stringified first, because pg would
 * send a JS array as a Postgres array literal.
 */
type Jsonb<T> = ColumnType<T, string, string>;
type NullableJsonb<T> = ColumnType<T | null, string | null | undefined, string | null>;
/** bigserial: pg returns int8 as a string, PGlite as a number; rows are mapped with Number(). */
type BigSerial = Generated<string | number>;

export interface RunsTable {
  id: string;
  status: RunStatus;
  selection: string;
  trigger: string;
  tags: Jsonb<Record<string, string>>;
  config: Jsonb<Record<string, unknown>>;
  config_name: string | null;
  config_version: number | null;
  created_at: Timestamp;
  started_at: NullableTimestamp;
  ended_at: NullableTimestamp;
  error: NullableJsonb<ErrorInfo>;
  queue_reason: ColumnType<string | null, string | null | undefined, string | null>;
  /** Steps of the run still PENDING or RUNNING (see migrations/run-counters.ts). */
  unfinished: ColumnType<number, number | undefined, number>;
  partition: ColumnType<string | null, string | null | undefined, string | null>;
  backfill_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface RunStepsTable {
  run_id: string;
  step_key: string;
  kind: 'asset' | 'check';
  asset_key: string;
  check_name: string | null;
  /** The step's index in the plan: listSteps returns steps in plan (dependency) order. */
  position: number;
  deps: string[];
  /** The inverse of deps within the run, written once by createRun. */
  children: string[];
  status: StepStatus;
  attempt: ColumnType<number, number | undefined, number>;
  started_at: NullableTimestamp;
  ended_at: NullableTimestamp;
  error: NullableJsonb<ErrorInfo>;
  worker: ColumnType<string | null, string | null | undefined, string | null>;
  /** Deps of the step not yet SUCCEEDED (see migrations/run-counters.ts). */
  waiting: ColumnType<number, number | undefined, number>;
  partitions: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
  /** A multi-asset's step: the keys it materializes (see migrations/multi-asset-steps.ts); null otherwise. */
  asset_keys: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
}

export interface EventsTable {
  id: BigSerial;
  run_id: string;
  step_key: string | null;
  type: string;
  at: Timestamp;
  data: Jsonb<unknown>;
}

export interface MaterializationsTable {
  id: BigSerial;
  asset_key: string;
  run_id: string;
  step_key: string;
  metadata: Jsonb<Metadata>;
  data_version: string | null;
  at: Timestamp;
  partition_key: ColumnType<string | null, string | null | undefined, string | null>;
  code_version: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface CheckResultsTable {
  id: BigSerial;
  run_id: string;
  asset_key: string;
  check_name: string;
  passed: boolean;
  severity: CheckSeverity;
  blocking: boolean;
  metadata: Jsonb<Metadata>;
  description: string | null;
  at: Timestamp;
  partition_key: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface RunConfigsTable {
  name: string;
  version: number;
  body: Jsonb<Record<string, unknown>>;
  created_at: Timestamp;
}

export interface AssetLocksTable {
  asset_key: string;
  partition_key: Generated<string>;
  run_id: string;
  step_key: string;
  worker: string;
  acquired_at: Timestamp;
}

export interface HeartbeatsTable {
  id: string;
  kind: 'daemon' | 'worker';
  host: string;
  pid: number;
  started_at: Timestamp;
  at: Timestamp;
  info: Jsonb<Record<string, unknown>>;
}

export interface AssetCursorsTable {
  asset_key: string;
  partition_key: Generated<string>;
  value: Jsonb<unknown>;
  run_id: string;
  step_key: string;
  updated_at: Timestamp;
}

export interface LeasesTable {
  name: string;
  holder: string;
  expires_at: Timestamp;
}

export interface ScheduleStatesTable {
  name: string;
  status: ScheduleStatus;
  started_at: NullableTimestamp;
  cursor: NullableTimestamp;
  updated_at: Timestamp;
}

export interface ScheduleTicksTable {
  id: BigSerial;
  schedule: string;
  scheduled_for: Timestamp;
  status: 'STARTED' | 'SUCCESS' | 'SKIPPED' | 'FAILURE';
  run_id: ColumnType<string | null, string | null | undefined, string | null>;
  reason: ColumnType<string | null, string | null | undefined, string | null>;
  error: NullableJsonb<ErrorInfo>;
  claimed_by: string;
  claimed_at: Timestamp;
  ended_at: NullableTimestamp;
}

/** The kysely handle every query function takes (already bound to the instance's schema). */
/** 0007: the current state of each (asset, partition); '' when unpartitioned. */
export interface AssetPartitionsTable {
  asset_key: string;
  partition_key: string;
  status: 'MATERIALIZED' | 'FAILED';
  run_id: string;
  step_key: string;
  materialized_at: NullableTimestamp;
  code_version: ColumnType<string | null, string | null | undefined, string | null>;
  updated_at: Timestamp;
}

/** 0007: backfills. */
export interface BackfillsTable {
  id: string;
  status: string;
  selection: string;
  partition_from: string;
  partition_to: string;
  policy: string;
  max_concurrent_runs: number | null;
  partitions: string[];
  run_count: number;
  trigger: string;
  tags: Jsonb<Record<string, string>>;
  created_at: Timestamp;
  ended_at: NullableTimestamp;
}

/** 0009: sensors (see migrations/sensors.ts). */
export interface SensorStatesTable {
  name: string;
  status: 'RUNNING' | 'STOPPED';
  cursor: ColumnType<string | null, string | null | undefined, string | null>;
  last_tick_at: NullableTimestamp;
  claimed_by: ColumnType<string | null, string | null | undefined, string | null>;
  claim_expires_at: NullableTimestamp;
  updated_at: Timestamp;
}

export interface SensorTicksTable {
  id: BigSerial;
  sensor: string;
  status: 'SUCCESS' | 'SKIPPED' | 'FAILURE';
  run_ids: Jsonb<string[]>;
  skipped_run_keys: Jsonb<string[]>;
  skip_reason: string | null;
  error: NullableJsonb<ErrorInfo>;
  cursor_before: string | null;
  cursor_after: string | null;
  claimed_by: string;
  started_at: Timestamp;
  ended_at: Timestamp;
}

export interface SensorRunKeysTable {
  sensor: string;
  run_key: string;
  run_id: string;
  created_at: Timestamp;
}

/** 0011: alerts (see migrations/alerts.ts). */
export interface AlertFeedsTable {
  name: string;
  cursor: string;
  updated_at: Timestamp;
}

export interface AlertDeliveriesTable {
  id: BigSerial;
  idempotency_key: string;
  alert: string;
  channel: string;
  event_type: string;
  payload: Jsonb<Record<string, unknown>>;
  status: 'PENDING' | 'SENT' | 'FAILED';
  attempts: number;
  next_attempt_at: Timestamp;
  claimed_by: ColumnType<string | null, string | null | undefined, string | null>;
  claim_expires_at: NullableTimestamp;
  last_error: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
}

export interface AlertDeliveryAttemptsTable {
  id: BigSerial;
  delivery_id: ColumnType<string | number, number, number>;
  attempt: number;
  at: Timestamp;
  ok: boolean;
  error: string | null;
}

/** 0012: freshness (see migrations/freshness.ts). */
export interface FreshnessStatesTable {
  asset_key: string;
  kind: 'freshness' | 'deadline';
  partition_key: string;
  level: 'PASS' | 'WARN' | 'FAIL';
  violation_key: string | null;
  about: NullableTimestamp;
  deadline: NullableTimestamp;
  lag_minutes: number | null;
  summary: string;
  since: Timestamp;
}

export interface FreshnessResultsTable {
  id: BigSerial;
  asset_key: string;
  kind: 'freshness' | 'deadline';
  partition_key: string;
  level: 'PASS' | 'WARN' | 'FAIL';
  violation_key: string | null;
  recovers: string | null;
  about: NullableTimestamp;
  deadline: NullableTimestamp;
  lag_minutes: number | null;
  summary: string;
  at: Timestamp;
}

export type StorageDb = Kysely<Database>;

/** 0010: the automation loop's one state row. */
export interface AutomationStateTable {
  id: string;
  status: 'RUNNING' | 'STOPPED';
  cursor: NullableJsonb<AutomationCursor>;
  updated_at: Timestamp;
}

/** 0010: one saved automation evaluation. */
export interface AutomationEvaluationsTable {
  id: BigSerial;
  evaluated_at: Timestamp;
  run_ids: Jsonb<string[]>;
  backfill_ids: Jsonb<string[]>;
  errors: Jsonb<ErrorInfo[]>;
  requested_count: number;
}

/** 0010: one asset's evaluated tree in an evaluation. */
export interface AutomationAssetEvaluationsTable {
  asset_key: string;
  evaluation_id: ColumnType<string | number, number, number>;
  requested: Jsonb<string[]>;
  tree: NullableJsonb<EvaluationNode>;
  error: NullableJsonb<ErrorInfo>;
}
