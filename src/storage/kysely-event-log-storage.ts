import type { EventRecord, NewEvent } from '../core/events.js';
import type { StorageDb } from './database.js';
import { sql } from 'kysely';
import type { AssetCursorRecord, AssetPartitionRecord, CheckResultRecord, EventLogStorage, MaterializationRecord, ObservationRecord } from './event-log-storage.js';
import { appendEvents } from './sql/append-events.js';
import { toCheckResultRecord, toEventRecord, toMaterializationRecord } from './sql/row-mappers.js';

/** EventLogStorage over kysely: each method is one statement. */
export class KyselyEventLogStorage implements EventLogStorage {
  readonly #db: StorageDb;

  constructor(db: StorageDb) {
    this.#db = db;
  }

  /** One statement, committed on its own (sql/append-events.ts, which recordStepReports also runs in its transaction). */
  appendEvents(events: readonly NewEvent[]): Promise<void> {
    return appendEvents(this.#db, events);
  }

  /** The run's events in log (id) order, after `afterId`, of `types` and of one step when `stepKey` is given, at most `limit`. */
  /**
   * The run's events in log (id) order, after `afterId` and before `beforeId`, of `types` and of one
   * step when `stepKey` is given, at most `limit`: the first `limit` of them, or with `beforeId` the
   * last `limit` (read newest first on the index, returned in log order).
   */
  async listEvents(runId: string, options: { afterId?: number; beforeId?: number; limit?: number; types?: readonly string[]; stepKey?: string } = {}): Promise<EventRecord[]> {
    const backwards = options.beforeId !== undefined;
    let query = this.#db.selectFrom('events').selectAll().where('run_id', '=', runId).orderBy('id', backwards ? 'desc' : 'asc');
    if (options.afterId !== undefined) query = query.where('id', '>', options.afterId);
    if (options.beforeId !== undefined) query = query.where('id', '<', options.beforeId);
    if (options.stepKey !== undefined) query = query.where('step_key', '=', options.stepKey);
    if (options.types) {
      if (options.types.length === 0) return [];
      query = query.where('type', 'in', [...options.types]);
    }
    if (options.limit !== undefined) query = query.limit(options.limit);
    const rows = (await query.execute()).map(toEventRecord);
    return backwards ? rows.reverse() : rows;
  }

  /** The latest materialization of each asset (of `assetKeys`, or of every asset): one DISTINCT ON. */
  async latestMaterializations(assetKeys?: readonly string[]): Promise<Map<string, MaterializationRecord>> {
    if (assetKeys?.length === 0) return new Map();
    let query = this.#db.selectFrom('materializations').selectAll().distinctOn('asset_key').orderBy('asset_key').orderBy('id', 'desc');
    if (assetKeys) query = query.where('asset_key', 'in', [...assetKeys]);
    const rows = await query.execute();
    return new Map(rows.map((row) => [row.asset_key, toMaterializationRecord(row)]));
  }

  /** The asset's materializations (of one partition when given), newest first. */
  async materializations(assetKey: string, options: { limit?: number; partitionKey?: string } = {}): Promise<MaterializationRecord[]> {
    let query = this.#db.selectFrom('materializations').selectAll().where('asset_key', '=', assetKey).orderBy('id', 'desc');
    if (options.partitionKey !== undefined) query = query.where('partition_key', '=', options.partitionKey);
    if (options.limit !== undefined) query = query.limit(options.limit);
    return (await query.execute()).map(toMaterializationRecord);
  }

  /** The asset's ASSET_OBSERVATION events, newest first (the partial index events_asset_observation_idx serves it). */
  async observations(assetKey: string, options: { limit?: number } = {}): Promise<ObservationRecord[]> {
    let query = this.#db
      .selectFrom('events')
      .select(['id', 'run_id', 'at', 'data'])
      .where('type', '=', 'ASSET_OBSERVATION')
      .where(sql<string>`data->>'assetKey'`, '=', assetKey)
      .orderBy(sql`data->>'assetKey'`)
      .orderBy('id', 'desc');
    if (options.limit !== undefined) query = query.limit(options.limit);
    return (await query.execute()).map((row) => {
      const data = row.data as { assetKey: string; metadata?: Record<string, unknown>; partition?: string };
      return { id: Number(row.id), assetKey: data.assetKey, runId: row.run_id, metadata: (data.metadata ?? {}) as ObservationRecord['metadata'], at: row.at, partitionKey: data.partition ?? null };
    });
  }

  /** Check results of a run and/or an asset (all when neither is given), newest first. */
  async checkResults(filter: { runId?: string; assetKey?: string; limit?: number }): Promise<CheckResultRecord[]> {
    let query = this.#db.selectFrom('check_results').selectAll().orderBy('id', 'desc');
    if (filter.runId !== undefined) query = query.where('run_id', '=', filter.runId);
    if (filter.assetKey !== undefined) query = query.where('asset_key', '=', filter.assetKey);
    if (filter.limit !== undefined) query = query.limit(filter.limit);
    return (await query.execute()).map(toCheckResultRecord);
  }

  /** One index-backed DISTINCT ON over check_results (asset_key, id desc). */
  async latestCheckResults(assetKeys: readonly string[]): Promise<CheckResultRecord[]> {
    if (assetKeys.length === 0) return [];
    const rows = await this.#db
      .selectFrom('check_results')
      .selectAll()
      .distinctOn(['asset_key', 'check_name'])
      .where('asset_key', 'in', [...new Set(assetKeys)])
      .orderBy('asset_key')
      .orderBy('check_name')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toCheckResultRecord);
  }

  /** The state rows of `assetKeys` (every asset when omitted), by asset key then partition key. */
  async assetPartitions(assetKeys?: readonly string[]): Promise<AssetPartitionRecord[]> {
    if (assetKeys?.length === 0) return [];
    let query = this.#db.selectFrom('asset_partitions').selectAll().orderBy('asset_key').orderBy('partition_key');
    if (assetKeys) query = query.where('asset_key', 'in', [...new Set(assetKeys)]);
    const rows = await query.execute();
    return rows.map((row) => ({
      assetKey: row.asset_key,
      partitionKey: row.partition_key,
      status: row.status,
      materializedAt: row.materialized_at,
      codeVersion: row.code_version,
      runId: row.run_id,
      stepKey: row.step_key,
      updatedAt: row.updated_at,
    }));
  }

  /** The committed cursor of (asset, partition): one primary-key read. Written only by finishStep. */
  async getCursor(assetKey: string, partitionKey = ''): Promise<AssetCursorRecord | undefined> {
    const row = await this.#db.selectFrom('asset_cursors').selectAll().where('asset_key', '=', assetKey).where('partition_key', '=', partitionKey).executeTakeFirst();
    return (
      row && { assetKey: row.asset_key, partitionKey: row.partition_key, value: row.value, runId: row.run_id, stepKey: row.step_key, updatedAt: row.updated_at }
    );
  }
}
