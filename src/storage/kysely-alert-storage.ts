import { sql } from 'kysely';
import type { AlertAttemptOutcome, AlertAttemptRecord, AlertDeliveryCount, AlertDeliveryRecord, AlertDeliveryStatus, AlertSourceEvent, AlertStorage, NewAlertDelivery } from './alert-storage.js';
import type { AlertDeliveriesTable, StorageDb } from './database.js';
import type { Selectable } from 'kysely';
import { runAssetKeys } from './sql/run-asset-keys.js';

const SOURCE_TYPES = ['RUN_SUCCESS', 'RUN_FAILURE', 'RUN_CANCELED', 'STEP_FAILED', 'CHECK_EVALUATION'] as const;

/** Inserts the deliveries whose idempotency key is new; returns how many were. */
export async function insertDeliveries(db: StorageDb, deliveries: readonly NewAlertDelivery[], at: Date): Promise<number> {
  if (deliveries.length === 0) return 0;
  const inserted = await db
    .insertInto('alert_deliveries')
    .values(
      deliveries.map((d) => ({
        idempotency_key: d.idempotencyKey,
        alert: d.alert,
        channel: d.channel,
        event_type: d.eventType,
        payload: JSON.stringify(d.payload),
        status: 'PENDING' as const,
        attempts: 0,
        next_attempt_at: at,
        created_at: at,
      })),
    )
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning('id')
    .execute();
  return inserted.length;
}

function toDelivery(row: Selectable<AlertDeliveriesTable>): AlertDeliveryRecord {
  return {
    id: Number(row.id),
    idempotencyKey: row.idempotency_key,
    alert: row.alert,
    channel: row.channel,
    eventType: row.event_type,
    payload: row.payload,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    claimedBy: row.claimed_by,
    claimExpiresAt: row.claim_expires_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}

/** AlertStorage over kysely (server Postgres and PGlite). */
export class KyselyAlertStorage implements AlertStorage {
  readonly #db: StorageDb;

  constructor(db: StorageDb) {
    this.#db = db;
  }

  async getAlertFeedCursor(feed: string): Promise<string | null> {
    const row = await this.#db.selectFrom('alert_feeds').select('cursor').where('name', '=', feed).executeTakeFirst();
    return row?.cursor ?? null;
  }

  commitAlertFeed(commit: { feed: string; cursorBefore: string | null; cursorAfter: string; deliveries: readonly NewAlertDelivery[]; at: Date }): Promise<{ committed: boolean; inserted: number }> {
    return this.#db.transaction().execute(async (trx) => {
      // Compare-and-set: of two daemons reading the same page, one moves the cursor; the other writes nothing.
      const moved =
        commit.cursorBefore === null
          ? await trx.insertInto('alert_feeds').values({ name: commit.feed, cursor: commit.cursorAfter, updated_at: commit.at }).onConflict((oc) => oc.column('name').doNothing()).returning('name').executeTakeFirst()
          : await trx.updateTable('alert_feeds').set({ cursor: commit.cursorAfter, updated_at: commit.at }).where('name', '=', commit.feed).where('cursor', '=', commit.cursorBefore).returning('name').executeTakeFirst();
      if (!moved) return { committed: false, inserted: 0 };
      return { committed: true, inserted: await insertDeliveries(trx, commit.deliveries, commit.at) };
    });
  }

  insertDeliveries(deliveries: readonly NewAlertDelivery[], at: Date): Promise<number> {
    return insertDeliveries(this.#db, deliveries, at);
  }

  async runsStartedBefore(query: { startedBefore: Date; limit: number }): Promise<{ id: string; startedAt: Date; assetKeys: string[] }[]> {
    const rows = await this.#db
      .selectFrom('runs')
      .select(['id', 'started_at'])
      .where('status', 'in', ['STARTED', 'CANCELING'])
      .where('started_at', '<=', query.startedBefore)
      .orderBy('started_at')
      .limit(query.limit)
      .execute();
    const keys = await runAssetKeys(this.#db, rows.map((r) => r.id));
    return rows.map((row) => ({ id: row.id, startedAt: row.started_at!, assetKeys: [...(keys.get(row.id) ?? [])].sort() }));
  }

  async alertEventsAfter(feed: { afterId: number; upToId: number; limit: number }): Promise<AlertSourceEvent[]> {
    const rows = await this.#db
      .selectFrom('events')
      .select(['id', 'type', 'run_id', 'step_key', 'at', 'data'])
      .where('id', '>', feed.afterId)
      .where('id', '<=', feed.upToId)
      .where('type', 'in', [...SOURCE_TYPES])
      .orderBy('id')
      .limit(feed.limit)
      .execute();
    const keys = await runAssetKeys(this.#db, rows.map((r) => r.run_id));
    return rows.map((row) => ({
      id: Number(row.id),
      type: row.type as AlertSourceEvent['type'],
      runId: row.run_id,
      stepKey: row.step_key,
      at: row.at,
      data: row.data as Record<string, unknown>,
      assetKeys: [...(keys.get(row.run_id) ?? [])].sort(),
    }));
  }

  async claimDueDeliveries(claim: { claimedBy: string; at: Date; ttlMs: number; limit: number }): Promise<AlertDeliveryRecord[]> {
    const due = (qb: StorageDb) =>
      qb
        .selectFrom('alert_deliveries')
        .select('id')
        .where('status', '=', 'PENDING')
        .where('next_attempt_at', '<=', claim.at)
        .where((eb) => eb.or([eb('claim_expires_at', 'is', null), eb('claim_expires_at', '<=', claim.at)]))
        .orderBy('id')
        .limit(claim.limit);
    // The conditions are repeated on the update itself: Postgres re-checks them on a row another
    // claimer changed meanwhile, so of two concurrent claimers only one gets each row.
    const rows = await this.#db
      .updateTable('alert_deliveries')
      .set({ claimed_by: claim.claimedBy, claim_expires_at: new Date(claim.at.getTime() + claim.ttlMs) })
      .where('id', 'in', due(this.#db))
      .where('status', '=', 'PENDING')
      .where((eb) => eb.or([eb('claim_expires_at', 'is', null), eb('claim_expires_at', '<=', claim.at)]))
      .returningAll()
      .execute();
    return rows.map(toDelivery).sort((a, b) => a.id - b.id);
  }

  recordDeliveryAttempt(attempt: { id: number; claimedBy: string; at: Date; outcome: AlertAttemptOutcome }): Promise<boolean> {
    const outcome = attempt.outcome;
    return this.#db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('alert_deliveries')
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          status: outcome.status === 'RETRY' ? 'PENDING' : outcome.status,
          claimed_by: null,
          claim_expires_at: null,
          ...(outcome.status === 'SENT' ? { sent_at: attempt.at } : { last_error: outcome.error }),
          ...(outcome.status === 'RETRY' ? { next_attempt_at: outcome.nextAttemptAt } : {}),
        }))
        .where('id', '=', attempt.id)
        .where('claimed_by', '=', attempt.claimedBy)
        .where('status', '=', 'PENDING')
        .returning('attempts')
        .executeTakeFirst();
      if (!row) return false;
      await trx
        .insertInto('alert_delivery_attempts')
        .values({ delivery_id: attempt.id, attempt: row.attempts, at: attempt.at, ok: outcome.status === 'SENT', error: outcome.status === 'SENT' ? null : outcome.error })
        .execute();
      return true;
    });
  }

  async getDelivery(id: number): Promise<AlertDeliveryRecord | undefined> {
    const row = await this.#db.selectFrom('alert_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toDelivery(row) : undefined;
  }

  async listDeliveries(options: { alert?: string; status?: AlertDeliveryStatus; limit?: number } = {}): Promise<AlertDeliveryRecord[]> {
    let query = this.#db.selectFrom('alert_deliveries').selectAll().orderBy('id', 'desc').limit(options.limit ?? 50);
    if (options.alert !== undefined) query = query.where('alert', '=', options.alert);
    if (options.status !== undefined) query = query.where('status', '=', options.status);
    return (await query.execute()).map(toDelivery);
  }

  async listDeliveryAttempts(deliveryId: number): Promise<AlertAttemptRecord[]> {
    const rows = await this.#db.selectFrom('alert_delivery_attempts').selectAll().where('delivery_id', '=', deliveryId).orderBy('attempt').execute();
    return rows.map((r) => ({ deliveryId: Number(r.delivery_id), attempt: r.attempt, at: r.at, ok: r.ok, error: r.error }));
  }

  async countDeliveries(): Promise<AlertDeliveryCount[]> {
    const rows = await this.#db
      .selectFrom('alert_deliveries as d')
      .select((eb) => [
        'd.alert',
        'd.channel',
        'd.status',
        eb.fn.countAll<string | number>().as('count'),
        sql<string | null>`(array_agg(d.last_error order by d.id desc) filter (where d.last_error is not null))[1]`.as('last_error'),
      ])
      .groupBy(['d.alert', 'd.channel', 'd.status'])
      .orderBy('d.alert')
      .orderBy('d.channel')
      .orderBy('d.status')
      .execute();
    return rows.map((r) => ({ alert: r.alert, channel: r.channel, status: r.status, count: Number(r.count), lastError: r.last_error }));
  }

  async latestDeliveries(): Promise<AlertDeliveryRecord[]> {
    const rows = await this.#db.selectFrom('alert_deliveries').selectAll().distinctOn(['alert', 'channel']).orderBy('alert').orderBy('channel').orderBy('id', 'desc').execute();
    return rows.map(toDelivery);
  }
}
