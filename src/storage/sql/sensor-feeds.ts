import { sql } from 'kysely';
import type { RunStatus } from '../../core/run/run-status.js';
import type { AssetEventRecord, RunStatusRecord } from '../../core/sensor/sensor-definition.js';
import type { StorageDb } from '../database.js';
import { runAssetKeys } from './run-asset-keys.js';

const RUN_STATUS_EVENT: Partial<Record<RunStatus, string>> = { STARTED: 'RUN_STARTED', SUCCESS: 'RUN_SUCCESS', FAILURE: 'RUN_FAILURE', CANCELED: 'RUN_CANCELED' };
const EVENT_RUN_STATUS: Record<string, RunStatus> = { RUN_STARTED: 'STARTED', RUN_SUCCESS: 'SUCCESS', RUN_FAILURE: 'FAILURE', RUN_CANCELED: 'CANCELED' };

/** MATERIALIZATION (and CHECK_EVALUATION, ASSET_OBSERVATION) events of `assetKeys` after `afterId`, in id order (the partial index events_sensor_feed_idx serves it). */
export async function assetEventsAfter(db: StorageDb, feed: { afterId: number; upToId?: number; assetKeys: readonly string[]; includeChecks: boolean; includeObservations?: boolean; limit: number }): Promise<AssetEventRecord[]> {
  if (feed.assetKeys.length === 0) return [];
  const types = ['MATERIALIZATION', ...(feed.includeChecks ? ['CHECK_EVALUATION'] : []), ...(feed.includeObservations ? ['ASSET_OBSERVATION'] : [])];
  const rows = await db
    .selectFrom('events')
    .select(['id', 'type', 'run_id', 'at', 'data'])
    .where('id', '>', feed.afterId)
    .where('id', '<=', feed.upToId ?? Number.MAX_SAFE_INTEGER)
    .where('type', 'in', types)
    .where(sql<string>`data->>'assetKey'`, 'in', [...feed.assetKeys])
    .orderBy('id')
    .limit(feed.limit)
    .execute();
  return rows.map((row) => {
    const data = row.data as { assetKey: string; metadata?: Record<string, unknown>; partition?: string; checkName?: string; passed?: boolean };
    return {
      id: Number(row.id),
      type: row.type as AssetEventRecord['type'],
      assetKey: data.assetKey,
      runId: row.run_id,
      at: row.at,
      partition: data.partition ?? null,
      metadata: data.metadata ?? {},
      ...(row.type === 'CHECK_EVALUATION' ? { checkName: data.checkName!, passed: data.passed === true } : {}),
    };
  });
}

/** Run status events after `afterId`, in id order, each with its run's asset keys (read in a second query). */
export async function runStatusEventsAfter(db: StorageDb, feed: { afterId: number; upToId?: number; statuses: readonly RunStatus[]; limit: number }): Promise<Array<RunStatusRecord & { assetKeys: readonly string[] }>> {
  const types = feed.statuses.flatMap((s) => (RUN_STATUS_EVENT[s] ? [RUN_STATUS_EVENT[s]] : []));
  if (types.length === 0) return [];
  const rows = await db
    .selectFrom('events as e')
    .innerJoin('runs as r', 'r.id', 'e.run_id')
    .select(['e.id', 'e.type', 'e.run_id', 'e.at', 'r.selection', 'r.tags'])
    .where('e.id', '>', feed.afterId)
    .where('e.id', '<=', feed.upToId ?? Number.MAX_SAFE_INTEGER)
    .where('e.type', 'in', types)
    .orderBy('e.id')
    .limit(feed.limit)
    .execute();
  const keys = await runAssetKeys(db, rows.map((r) => r.run_id));
  return rows.map((row) => ({
    id: Number(row.id),
    runId: row.run_id,
    status: EVENT_RUN_STATUS[row.type]!,
    at: row.at,
    selection: row.selection,
    tags: row.tags,
    assetKeys: [...(keys.get(row.run_id) ?? [])].sort(),
  }));
}
