import { sql, type Selectable } from 'kysely';
import type { RunStatus } from '../core/run/run-status.js';
import type { AssetEventRecord, RunStatusRecord, SensorStatus } from '../core/sensor/sensor-definition.js';
import type { SensorStatesTable, SensorTicksTable, StorageDb } from './database.js';
import type { RunRecord } from './run-storage.js';
import type { CommittedSensorTick, FeedWatermark, SensorState, SensorStorage, SensorTickCommit, SensorTickRecord } from './sensor-storage.js';
import type { RunStepStatistics } from './run-step-statistics.js';
import { createRuns } from './sql/create-run.js';
import { feedWatermark } from './sql/feed-watermark.js';
import { assetEventsAfter, runStatusEventsAfter } from './sql/sensor-feeds.js';

function toSensorState(row: Selectable<SensorStatesTable>): SensorState {
  return {
    name: row.name,
    status: row.status,
    cursor: row.cursor,
    lastTickAt: row.last_tick_at,
    claimedBy: row.claimed_by,
    claimExpiresAt: row.claim_expires_at,
    updatedAt: row.updated_at,
  };
}

function toTickRecord(row: Selectable<SensorTicksTable>): SensorTickRecord {
  return {
    id: Number(row.id),
    sensor: row.sensor,
    status: row.status,
    runIds: row.run_ids,
    skippedRunKeys: row.skipped_run_keys,
    skipReason: row.skip_reason,
    error: row.error,
    cursorBefore: row.cursor_before,
    cursorAfter: row.cursor_after,
    claimedBy: row.claimed_by,
    startedAt: row.started_at,
    endedAt: row.ended_at,
  };
}

/** SensorStorage over kysely. */
export class KyselySensorStorage implements SensorStorage {
  readonly #db: StorageDb;
  readonly #statistics: RunStepStatistics;

  constructor(db: StorageDb, statistics: RunStepStatistics) {
    this.#db = db;
    this.#statistics = statistics;
  }

  async ensureSensorState(name: string, defaultStatus: SensorStatus, at: Date): Promise<SensorState> {
    await this.#db
      .insertInto('sensor_states')
      .values({ name, status: defaultStatus, updated_at: at })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    return (await this.getSensorState(name))!;
  }

  async setSensorStatus(name: string, status: SensorStatus, at: Date): Promise<SensorState> {
    const row = await this.#db
      .insertInto('sensor_states')
      .values({ name, status, updated_at: at })
      .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ status: eb.ref('excluded.status'), updated_at: eb.ref('excluded.updated_at') })))
      .returningAll()
      .executeTakeFirstOrThrow();
    return toSensorState(row);
  }

  async setSensorCursor(name: string, cursor: string | null, defaultStatus: SensorStatus, at: Date): Promise<SensorState> {
    const row = await this.#db
      .insertInto('sensor_states')
      .values({ name, status: defaultStatus, cursor, updated_at: at })
      .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ cursor: eb.ref('excluded.cursor'), updated_at: eb.ref('excluded.updated_at') })))
      .returningAll()
      .executeTakeFirstOrThrow();
    return toSensorState(row);
  }

  async getSensorState(name: string): Promise<SensorState | undefined> {
    const row = await this.#db.selectFrom('sensor_states').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? toSensorState(row) : undefined;
  }

  async listSensorStates(): Promise<SensorState[]> {
    return (await this.#db.selectFrom('sensor_states').selectAll().orderBy('name').execute()).map(toSensorState);
  }

  /** One conditional update: the row lock makes concurrent claimers queue, and only the first finds the conditions true. */
  async claimSensorTick(claim: { name: string; claimedBy: string; at: Date; minimumIntervalMs: number; ttlMs: number }): Promise<SensorState | undefined> {
    const dueBefore = new Date(claim.at.getTime() - claim.minimumIntervalMs);
    const row = await this.#db
      .updateTable('sensor_states')
      .set({ claimed_by: claim.claimedBy, claim_expires_at: new Date(claim.at.getTime() + claim.ttlMs) })
      .where('name', '=', claim.name)
      .where('status', '=', 'RUNNING')
      .where((eb) => eb.or([eb('last_tick_at', 'is', null), eb('last_tick_at', '<=', dueBefore)]))
      .where((eb) => eb.or([eb('claimed_by', 'is', null), eb('claim_expires_at', '<', claim.at)]))
      .returningAll()
      .executeTakeFirst();
    return row ? toSensorState(row) : undefined;
  }

  async releaseSensorClaim(name: string, claimedBy: string): Promise<void> {
    await this.#db.updateTable('sensor_states').set({ claimed_by: null, claim_expires_at: null }).where('name', '=', name).where('claimed_by', '=', claimedBy).execute();
  }

  /**
   * One transaction (see SensorStorage): the state row first (its lock orders commits of one
   * sensor), then the run keys (insert ... on conflict do nothing returning: what comes back is
   * new), then the runs through createRuns in this transaction, then the tick row.
   */
  async commitSensorTick(commit: SensorTickCommit): Promise<CommittedSensorTick | undefined> {
    const committed = await this.#commitTick(commit);
    if (committed && commit.outcome.status === 'EVALUATED') {
      const launched = new Set(committed.launched.map((run) => run.id));
      await this.#statistics.stepsWritten(commit.outcome.runs.reduce((n, r) => n + (launched.has(r.run.id) ? r.run.steps.length : 0), 0));
    }
    return committed;
  }

  #commitTick(commit: SensorTickCommit): Promise<CommittedSensorTick | undefined> {
    return this.#db.transaction().execute(async (trx) => {
      const evaluated = commit.outcome.status === 'EVALUATED' ? commit.outcome : undefined;
      const cursorAfter = evaluated ? evaluated.cursorAfter : commit.cursorBefore;
      const state = await trx
        .updateTable('sensor_states')
        .set({ cursor: cursorAfter, last_tick_at: commit.startedAt, claimed_by: null, claim_expires_at: null, updated_at: commit.endedAt })
        .where('name', '=', commit.sensor)
        .where('claimed_by', '=', commit.claimedBy)
        .returning('name')
        .executeTakeFirst();
      if (!state) return undefined;
      const runs = evaluated?.runs ?? [];
      const keyed = runs.filter((r) => r.runKey !== null);
      const fresh = new Set<string>();
      if (keyed.length > 0) {
        const rows = await trx
          .insertInto('sensor_run_keys')
          .values(keyed.map((r) => ({ sensor: commit.sensor, run_key: r.runKey!, run_id: r.run.id, created_at: commit.endedAt })))
          .onConflict((oc) => oc.columns(['sensor', 'run_key']).doNothing())
          .returning(['run_key', 'run_id'])
          .execute();
        for (const row of rows) fresh.add(`${row.run_key}\u0000${row.run_id}`);
      }
      const toLaunch = runs.filter((r) => r.runKey === null || fresh.has(`${r.runKey}\u0000${r.run.id}`));
      const skippedRunKeys = [...(evaluated?.skippedRunKeys ?? []), ...keyed.filter((r) => !fresh.has(`${r.runKey}\u0000${r.run.id}`)).map((r) => r.runKey!)];
      const launched: RunRecord[] = toLaunch.length > 0 ? await createRuns(trx, toLaunch.map((r) => r.run), (write) => write(trx)) : [];
      const status = !evaluated ? 'FAILURE' : launched.length > 0 ? 'SUCCESS' : 'SKIPPED';
      const skipReason =
        status !== 'SKIPPED' ? null : evaluated?.skipReason ?? (skippedRunKeys.length > 0 ? `every requested run key had launched a run already: ${skippedRunKeys.join(', ')}` : 'no run requested');
      const tick = await trx
        .insertInto('sensor_ticks')
        .values({
          sensor: commit.sensor,
          status,
          run_ids: JSON.stringify(launched.map((r) => r.id)),
          skipped_run_keys: JSON.stringify(skippedRunKeys),
          skip_reason: skipReason,
          error: commit.outcome.status === 'FAILURE' ? JSON.stringify(commit.outcome.error) : null,
          cursor_before: commit.cursorBefore,
          cursor_after: cursorAfter,
          claimed_by: commit.claimedBy,
          started_at: commit.startedAt,
          ended_at: commit.endedAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { tick: toTickRecord(tick), launched };
    });
  }

  async usedRunKeys(sensor: string, runKeys: readonly string[]): Promise<Set<string>> {
    if (runKeys.length === 0) return new Set();
    const rows = await this.#db.selectFrom('sensor_run_keys').select('run_key').where('sensor', '=', sensor).where('run_key', 'in', [...runKeys]).execute();
    return new Set(rows.map((r) => r.run_key));
  }

  async listSensorTicks(sensor: string, options: { limit?: number } = {}): Promise<SensorTickRecord[]> {
    const rows = await this.#db.selectFrom('sensor_ticks').selectAll().where('sensor', '=', sensor).orderBy('id', 'desc').limit(options.limit ?? 100).execute();
    return rows.map(toTickRecord);
  }

  async purgeSensorTicks(cutoffs: { skippedBefore: Date; othersBefore: Date }): Promise<number> {
    const result = await this.#db
      .deleteFrom('sensor_ticks')
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'SKIPPED'), eb('ended_at', '<', cutoffs.skippedBefore)]),
          eb.and([eb('status', '<>', 'SKIPPED'), eb('ended_at', '<', cutoffs.othersBefore)]),
        ]),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** One statement, so the highest id and the snapshot's running transactions come from the same snapshot. */
  feedWatermark(): Promise<FeedWatermark> {
    return feedWatermark(this.#db, 'events');
  }

  assetEventsAfter(feed: { afterId: number; upToId?: number; assetKeys: readonly string[]; includeChecks: boolean; includeObservations?: boolean; limit: number }): Promise<AssetEventRecord[]> {
    return assetEventsAfter(this.#db, feed);
  }

  runStatusEventsAfter(feed: { afterId: number; upToId?: number; statuses: readonly RunStatus[]; limit: number }): Promise<Array<RunStatusRecord & { assetKeys: readonly string[] }>> {
    return runStatusEventsAfter(this.#db, feed);
  }
}
