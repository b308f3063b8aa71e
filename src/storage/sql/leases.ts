import { SluiceError } from '../../core/errors.js';
import type { StorageDb } from '../database.js';

/**
 * One statement: `insert into leases ... on conflict (name) do update set holder, expires_at where
 * leases.expires_at <= $at or leases.holder = excluded.holder returning holder`. A row comes back
 * only when the lease was inserted, taken over after expiry, or renewed by its holder. Of two
 * acquirers racing, the second waits for the first's row and re-checks it (its new expiry is past
 * `at`), so exactly one wins. `ttlMs` must be positive, or a lease would be expired the moment it
 * is taken.
 */
export async function acquireLease(db: StorageDb, name: string, holder: string, ttlMs: number, at: Date): Promise<boolean> {
  if (!(ttlMs > 0)) {
    throw new SluiceError('INVALID_LEASE_TTL', `acquireLease("${name}"): ttlMs must be a positive number of milliseconds, got ${ttlMs}`, { name, ttlMs }, { kind: 'internal' });
  }
  const row = await db
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

/** One statement: deletes the lease when `holder` holds it (expired or not); otherwise nothing. */
export async function releaseLease(db: StorageDb, name: string, holder: string): Promise<void> {
  await db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute();
}

/** The lease's current holder and expiry (possibly already expired), or undefined when nobody holds it. */
export async function getLease(db: StorageDb, name: string): Promise<{ holder: string; expiresAt: Date } | undefined> {
  const row = await db.selectFrom('leases').select(['holder', 'expires_at']).where('name', '=', name).executeTakeFirst();
  return row ? { holder: row.holder, expiresAt: row.expires_at } : undefined;
}
