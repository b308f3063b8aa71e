import type { AutomationCursor } from '../core/automation/automation-snapshot.js';
import type {
  AssetEvaluationRecord,
  AutomationCheckResult,
  AutomationEvaluationRecord,
  AutomationMaterialization,
  AutomationPartitionState,
  AutomationState,
  AutomationStatus,
  AutomationStorage,
  InProgressStep,
  NewAutomationEvaluation,
} from './automation-storage.js';
import type { StorageDb } from './database.js';
import type { FeedWatermark } from './sensor-storage.js';
import { feedWatermark } from './sql/feed-watermark.js';

const STATE_ID = 'default';

/** AutomationStorage over kysely. */
export class KyselyAutomationStorage implements AutomationStorage {
  readonly #db: StorageDb;

  constructor(db: StorageDb) {
    this.#db = db;
  }

  async getState(): Promise<AutomationState> {
    const row = await this.#db.selectFrom('automation_state').selectAll().where('id', '=', STATE_ID).executeTakeFirst();
    return row ? { status: row.status, cursor: row.cursor, updatedAt: row.updated_at } : { status: 'STOPPED', cursor: null, updatedAt: new Date(0) };
  }

  /** One upsert that leaves the cursor as it is. */
  async setStatus(status: AutomationStatus, at: Date): Promise<AutomationState> {
    const row = await this.#db
      .insertInto('automation_state')
      .values({ id: STATE_ID, status, cursor: null, updated_at: at })
      .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ status: eb.ref('excluded.status'), updated_at: eb.ref('excluded.updated_at') })))
      .returningAll()
      .executeTakeFirstOrThrow();
    return { status: row.status, cursor: row.cursor, updatedAt: row.updated_at };
  }

  /** The evaluation, its asset rows and the cursor, in one transaction (the status is left as it is). */
  async recordEvaluation(evaluation: NewAutomationEvaluation, cursor: AutomationCursor): Promise<number> {
    return this.#db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('automation_evaluations')
        .values({
          evaluated_at: evaluation.evaluatedAt,
          run_ids: JSON.stringify(evaluation.runIds),
          backfill_ids: JSON.stringify(evaluation.backfillIds),
          errors: JSON.stringify(evaluation.errors),
          requested_count: evaluation.assets.reduce((n, a) => n + a.requested.length, 0),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const id = Number(row.id);
      if (evaluation.assets.length > 0) {
        await trx
          .insertInto('automation_asset_evaluations')
          .values(
            evaluation.assets.map((a) => ({
              asset_key: a.assetKey,
              evaluation_id: id,
              requested: JSON.stringify(a.requested),
              tree: a.tree === null ? null : JSON.stringify(a.tree),
              error: a.error === null ? null : JSON.stringify(a.error),
            })),
          )
          .execute();
      }
      await trx
        .insertInto('automation_state')
        .values({ id: STATE_ID, status: 'STOPPED', cursor: JSON.stringify(cursor), updated_at: evaluation.evaluatedAt })
        .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ cursor: eb.ref('excluded.cursor'), updated_at: eb.ref('excluded.updated_at') })))
        .execute();
      return id;
    });
  }

  async listEvaluations(limit: number): Promise<AutomationEvaluationRecord[]> {
    const rows = await this.#db.selectFrom('automation_evaluations').selectAll().orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => ({
      id: Number(r.id),
      evaluatedAt: r.evaluated_at,
      runIds: r.run_ids,
      backfillIds: r.backfill_ids,
      errors: r.errors,
      requestedCount: r.requested_count,
    }));
  }

  async latestAssetEvaluation(assetKey: string): Promise<AssetEvaluationRecord | undefined> {
    const row = await this.#db
      .selectFrom('automation_asset_evaluations as a')
      .innerJoin('automation_evaluations as e', 'e.id', 'a.evaluation_id')
      .select(['a.asset_key', 'a.evaluation_id', 'a.requested', 'a.tree', 'a.error', 'e.evaluated_at'])
      .where('a.asset_key', '=', assetKey)
      .orderBy('a.evaluation_id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row) return undefined;
    return { assetKey: row.asset_key, evaluationId: Number(row.evaluation_id), evaluatedAt: row.evaluated_at, requested: row.requested, tree: row.tree, error: row.error };
  }

  async purgeEvaluations(before: Date): Promise<number> {
    const result = await this.#db.deleteFrom('automation_evaluations').where('evaluated_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async materializationsAfter(afterId: number, limit: number, upToId?: number): Promise<AutomationMaterialization[]> {
    let query = this.#db.selectFrom('materializations').select(['id', 'asset_key', 'partition_key']).where('id', '>', afterId);
    if (upToId !== undefined) query = query.where('id', '<=', upToId);
    const rows = await query
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: Number(r.id), assetKey: r.asset_key, partitionKey: r.partition_key ?? '' }));
  }

  async checkResultsAfter(afterId: number, limit: number, upToId?: number): Promise<AutomationCheckResult[]> {
    let query = this.#db.selectFrom('check_results').select(['id', 'asset_key', 'check_name', 'partition_key', 'passed']).where('id', '>', afterId);
    if (upToId !== undefined) query = query.where('id', '<=', upToId);
    const rows = await query
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: Number(r.id), assetKey: r.asset_key, checkName: r.check_name, partitionKey: r.partition_key ?? '', passed: r.passed }));
  }

  async lastEventIds(): Promise<{ materialization: number; checkResult: number }> {
    const [m, c] = await Promise.all([
      this.#db.selectFrom('materializations').select((eb) => eb.fn.max('id').as('max')).executeTakeFirst(),
      this.#db.selectFrom('check_results').select((eb) => eb.fn.max('id').as('max')).executeTakeFirst(),
    ]);
    return { materialization: Number(m?.max ?? 0), checkResult: Number(c?.max ?? 0) };
  }

  async feedWatermarks(): Promise<{ materialization: FeedWatermark; checkResult: FeedWatermark }> {
    return { materialization: await feedWatermark(this.#db, 'materializations'), checkResult: await feedWatermark(this.#db, 'check_results') };
  }

  async partitionStatesSince(since: Date): Promise<AutomationPartitionState[]> {
    const rows = await this.#db
      .selectFrom('asset_partitions')
      .select(['asset_key', 'partition_key', 'status', 'materialized_at'])
      .where('updated_at', '>=', since)
      .execute();
    return rows.map((r) => ({ assetKey: r.asset_key, partitionKey: r.partition_key, status: r.status, materialized: r.materialized_at !== null }));
  }

  async inProgressSteps(): Promise<InProgressStep[]> {
    const rows = await this.#db
      .selectFrom('run_steps as s')
      .innerJoin('runs as r', 'r.id', 's.run_id')
      .select(['s.asset_key', 's.asset_keys', 's.partitions'])
      .where('r.status', 'in', ['QUEUED', 'STARTED'])
      .where('s.kind', '=', 'asset')
      .execute();
    return rows.map((r) => ({ assetKeys: r.asset_keys ?? [r.asset_key], partitions: r.partitions }));
  }
}
