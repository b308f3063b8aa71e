import type { Selectable } from 'kysely';
import type { FreshnessStatesTable, StorageDb } from './database.js';
import type { FreshnessChange, FreshnessResultRecord, FreshnessStateRecord, FreshnessStorage } from './freshness-storage.js';
import { insertDeliveries } from './kysely-alert-storage.js';

function toState(row: Selectable<FreshnessStatesTable>): FreshnessStateRecord {
  return {
    assetKey: row.asset_key,
    kind: row.kind,
    partitionKey: row.partition_key,
    level: row.level,
    violationKey: row.violation_key,
    about: row.about,
    deadline: row.deadline,
    lagMinutes: row.lag_minutes === null ? null : Number(row.lag_minutes),
    summary: row.summary,
    since: row.since,
  };
}

/** FreshnessStorage over kysely (server Postgres and PGlite). */
export class KyselyFreshnessStorage implements FreshnessStorage {
  readonly #db: StorageDb;

  constructor(db: StorageDb) {
    this.#db = db;
  }

  async listFreshnessStates(assetKeys?: readonly string[]): Promise<FreshnessStateRecord[]> {
    if (assetKeys && assetKeys.length === 0) return [];
    let query = this.#db.selectFrom('freshness_states').selectAll();
    if (assetKeys) query = query.where('asset_key', 'in', [...assetKeys]);
    const rows = await query.orderBy('asset_key').orderBy('kind').orderBy('partition_key').execute();
    return rows.map(toState);
  }

  recordFreshnessChange(change: FreshnessChange, at: Date): Promise<{ committed: boolean; inserted: number }> {
    const s = change.state;
    const values = {
      level: s.level,
      violation_key: s.violationKey,
      about: s.about,
      deadline: s.deadline,
      lag_minutes: s.lagMinutes,
      summary: s.summary,
      since: at,
    };
    return this.#db.transaction().execute(async (trx) => {
      // Compare-and-set on the verdict read: of two checkers seeing the same change, one writes it.
      const moved =
        change.before === null
          ? await trx
              .insertInto('freshness_states')
              .values({ asset_key: s.assetKey, kind: s.kind, partition_key: s.partitionKey, ...values })
              .onConflict((oc) => oc.columns(['asset_key', 'kind', 'partition_key']).doNothing())
              .returning('level')
              .executeTakeFirst()
          : await trx
              .updateTable('freshness_states')
              .set(values)
              .where('asset_key', '=', s.assetKey)
              .where('kind', '=', s.kind)
              .where('partition_key', '=', s.partitionKey)
              .where('level', '=', change.before.level)
              .where((eb) => (change.before!.violationKey === null ? eb('violation_key', 'is', null) : eb('violation_key', '=', change.before!.violationKey)))
              .returning('level')
              .executeTakeFirst();
      if (!moved) return { committed: false, inserted: 0 };
      await trx
        .insertInto('freshness_results')
        .values({
          asset_key: s.assetKey,
          kind: s.kind,
          partition_key: s.partitionKey,
          level: s.level,
          violation_key: s.violationKey,
          recovers: s.level === 'PASS' ? (change.before?.violationKey ?? null) : null,
          about: s.about,
          deadline: s.deadline,
          lag_minutes: s.lagMinutes,
          summary: s.summary,
          at,
        })
        .execute();
      return { committed: true, inserted: await insertDeliveries(trx, change.deliveries, at) };
    });
  }

  async firstChecks(assetKeys: readonly string[]): Promise<Map<string, Date>> {
    if (assetKeys.length === 0) return new Map();
    const rows = await this.#db
      .selectFrom('freshness_results')
      .select((eb) => ['asset_key', 'kind', eb.fn.min<Date>('at').as('first')])
      .where('asset_key', 'in', [...assetKeys])
      .groupBy(['asset_key', 'kind'])
      .execute();
    return new Map(rows.map((r) => [`${r.asset_key} ${r.kind}`, new Date(r.first)]));
  }

  async freshnessResults(assetKey: string, options: { limit?: number } = {}): Promise<FreshnessResultRecord[]> {
    const rows = await this.#db.selectFrom('freshness_results').selectAll().where('asset_key', '=', assetKey).orderBy('id', 'desc').limit(options.limit ?? 50).execute();
    return rows.map((r) => ({
      id: Number(r.id),
      assetKey: r.asset_key,
      kind: r.kind,
      partitionKey: r.partition_key,
      level: r.level,
      violationKey: r.violation_key,
      recovers: r.recovers,
      about: r.about,
      deadline: r.deadline,
      lagMinutes: r.lag_minutes === null ? null : Number(r.lag_minutes),
      summary: r.summary,
      at: r.at,
    }));
  }
}
