import { SluiceError } from '../core/errors.js';
import type { AssetLockRecord, CoordinationStorage, Heartbeat } from './coordination-storage.js';
import type { StorageDb } from './database.js';
import { toAssetLockRecord, toHeartbeat } from './sql/row-mappers.js';

/** CoordinationStorage over kysely: each method is one statement. */
export class KyselyCoordinationStorage implements CoordinationStorage {
  readonly #db: StorageDb;

  constructor(db: StorageDb) {
    this.#db = db;
  }

  /** One statement: inserts the process's row or replaces every field of it (by id). */
  async heartbeat(beat: Heartbeat): Promise<void> {
    const fields = {
      kind: beat.kind,
      host: beat.host,
      pid: beat.pid,
      started_at: beat.startedAt,
      at: beat.at,
      info: JSON.stringify(beat.info),
    };
    await this.#db
      .insertInto('heartbeats')
      .values({ id: beat.id, ...fields })
      .onConflict((oc) => oc.column('id').doUpdateSet(fields))
      .execute();
  }

  /** Every heartbeat, newest `at` first (ties by id). */
  async listHeartbeats(): Promise<Heartbeat[]> {
    const rows = await this.#db.selectFrom('heartbeats').selectAll().orderBy('at', 'desc').orderBy('id').execute();
    return rows.map(toHeartbeat);
  }

  async removeHeartbeat(id: string): Promise<void> {
    await this.#db.deleteFrom('heartbeats').where('id', '=', id).execute();
  }

  /**
   * One statement: `insert into leases ... on conflict (name) do update set holder, expires_at where
   * leases.expires_at <= $at or leases.holder = excluded.holder returning holder`. A row comes back
   * only when the lease was inserted, taken over after expiry, or renewed by its holder. Of two
   * acquirers racing, the second waits for the first's row and re-checks it (its new expiry is past
   * `at`), so exactly one wins. `ttlMs` must be positive, or a lease would be expired the moment it
   * is taken.
   */
  async acquireLease(name: string, holder: string, ttlMs: number, at: Date): Promise<boolean> {
    if (!(ttlMs > 0)) {
      throw new SluiceError('INVALID_LEASE_TTL', `acquireLease("${name}"): ttlMs must be a positive number of milliseconds, got ${ttlMs}`, { name, ttlMs }, { kind: 'internal' });
    }
    const row = await this.#db
      .insertInto('leases')
      .values({ name, holder, expires_at: new Date(at.getTime() + ttlMs) })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet((eb) => ({ holder: eb.ref('excluded.holder'), expires_at: eb.ref('excluded.expires_at') }))
          .where((eb) => eb.or([eb('leases.expires_at', '<=', at), eb('leases.holder', '=', eb.ref('excluded.holder'))])),
      )
      .returning('holder')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The lease's current holder and expiry (possibly already expired), or undefined when nobody holds it. */
  async getLease(name: string): Promise<{ holder: string; expiresAt: Date } | undefined> {
    const row = await this.#db.selectFrom('leases').select(['holder', 'expires_at']).where('name', '=', name).executeTakeFirst();
    return row ? { holder: row.holder, expiresAt: row.expires_at } : undefined;
  }

  /** One statement: deletes the lease when `holder` holds it (expired or not); otherwise nothing. */
  async releaseLease(name: string, holder: string): Promise<void> {
    await this.#db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute();
  }

  /** Every asset lock held now, by asset key. Locks are taken by RunStorage.startStep (see sql/start-step.ts). */
  async listAssetLocks(): Promise<AssetLockRecord[]> {
    const rows = await this.#db.selectFrom('asset_locks').selectAll().orderBy('asset_key').execute();
    return rows.map(toAssetLockRecord);
  }
}
