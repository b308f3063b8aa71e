import { parseStepKey } from '../../core/plan/execution-plan.js';
import type { Selectable } from 'kysely';
import type { EventRecord } from '../../core/events.js';
import type {
  AssetLocksTable,
  CheckResultsTable,
  EventsTable,
  HeartbeatsTable,
  MaterializationsTable,
  RunConfigsTable,
  RunStepsTable,
  RunsTable,
} from '../database.js';
import type { AssetLockRecord, Heartbeat } from '../coordination-storage.js';
import type { CheckResultRecord, MaterializationRecord } from '../event-log-storage.js';
import type { RunConfigRecord } from '../run-config-storage.js';
import type { RunRecord, StepRecord } from '../run-storage.js';

/** Rows -> records. bigserial ids become numbers (pg returns int8 as a string). */

export function toRunRecord(row: Selectable<RunsTable>): RunRecord {
  return {
    id: row.id,
    status: row.status,
    selection: row.selection,
    trigger: row.trigger,
    tags: row.tags,
    config: row.config,
    configRef: row.config_name === null || row.config_version === null ? null : { name: row.config_name, version: row.config_version },
    createdAt: row.created_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    error: row.error,
    queueReason: row.queue_reason,
    partition: row.partition ?? null,
    backfillId: row.backfill_id ?? null,
  };
}

export function toStepRecord(row: Selectable<RunStepsTable>): StepRecord {
  return {
    runId: row.run_id,
    key: row.step_key,
    kind: row.kind,
    assetKey: row.asset_key,
    checkName: row.check_name,
    deps: row.deps,
    status: row.status,
    attempt: row.attempt,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    error: row.error,
    worker: row.worker,
    partitions: row.partitions ?? null,
    assetKeys: row.asset_keys ?? null,
    ...(row.asset_keys ? { multi: parseStepKey(row.step_key).multi! } : {}),
  };
}

export function toEventRecord(row: Selectable<EventsTable>): EventRecord {
  return { id: Number(row.id), runId: row.run_id, stepKey: row.step_key, at: row.at, type: row.type, data: row.data } as EventRecord;
}

export function toMaterializationRecord(row: Selectable<MaterializationsTable>): MaterializationRecord {
  return {
    id: Number(row.id),
    assetKey: row.asset_key,
    runId: row.run_id,
    stepKey: row.step_key,
    metadata: row.metadata,
    dataVersion: row.data_version,
    at: row.at,
    partitionKey: row.partition_key ?? null,
    codeVersion: row.code_version ?? null,
  };
}

export function toCheckResultRecord(row: Selectable<CheckResultsTable>): CheckResultRecord {
  return {
    id: Number(row.id),
    runId: row.run_id,
    assetKey: row.asset_key,
    checkName: row.check_name,
    passed: row.passed,
    severity: row.severity,
    blocking: row.blocking,
    metadata: row.metadata,
    description: row.description,
    at: row.at,
    partitionKey: row.partition_key ?? null,
  };
}

export function toRunConfigRecord(row: Selectable<RunConfigsTable>): RunConfigRecord {
  return { name: row.name, version: row.version, body: row.body, createdAt: row.created_at };
}

export function toAssetLockRecord(row: Selectable<AssetLocksTable>): AssetLockRecord {
  return { assetKey: row.asset_key, partitionKey: row.partition_key, runId: row.run_id, stepKey: row.step_key, worker: row.worker, acquiredAt: row.acquired_at };
}

export function toHeartbeat(row: Selectable<HeartbeatsTable>): Heartbeat {
  return { id: row.id, kind: row.kind, host: row.host, pid: row.pid, startedAt: row.started_at, at: row.at, info: row.info };
}
