import type { StorageDb } from '../database.js';
import type { StartStepResult } from '../run-storage.js';
import { SqlText } from './sql-text.js';

const STARTED: StartStepResult = { started: true };
const NOT_PENDING: StartStepResult = { started: false, reason: 'not-pending' };

/**
 * One statement, committed on its own, taking its locks in the store's one order (step rows, then
 * the asset lock; see finishStep). It writes no event and does not touch the run row, so starts of
 * one run's steps commit in parallel: the attempt's STEP_STARTED is written by its runner with the
 * attempt's first batch of events (see RunStorage.startStep). Its commit does not wait for the WAL
 * flush (synchronous_commit off for this transaction only): a claim is worth no fsync on the step's
 * critical path. The attempt's next write (its first batch, or its outcome, which commit
 * synchronously) flushes the WAL past it; a server crash before that loses only the claim, and the
 * step is PENDING again, run again like any step whose process died (at-least-once, as before).
 *   claimed  the step row, locked, only while PENDING (a concurrent second start waits for the
 *            first to commit, re-checks the row and matches nothing: not-pending);
 *   taken    an asset step's (asset, partition) lock ('' when unpartitioned): insert ... on conflict
 *            do update ... where the row is this step's (a lost attempt restarted: the row takes the
 *            new worker and time). Of two steps racing for one (asset, partition) exactly one gets a
 *            row back. A step of a ranged run (several partitions) takes none here and goes through
 *            startRangedStep, which locks them all or none;
 *   started  PENDING -> RUNNING (clearing the previous attempt's end and error), only when claimed
 *            and (a check step, or the lock was taken).
 * When the asset is busy nothing is written, and a second read names the holder (when the holder
 * let go in between, the start is tried again).
 */
export async function startStep(db: StorageDb, schema: string, runId: string, stepKey: string, attempt: number, at: Date, worker: string): Promise<StartStepResult> {
  for (;;) {
    const [row] = await claimStep(db, schema, runId, stepKey, attempt, at, worker);
    if (!row || row.asset_key === null) return NOT_PENDING;
    if (row.started) return STARTED;
    const parts = row.partitions ?? [''];
    const assets = row.asset_keys ?? [row.asset_key];
    if (row.kind === 'asset' && (parts.length > 1 || row.asset_keys !== null)) {
      const ranged = await startRangedStep(db, runId, stepKey, attempt, at, worker);
      if (ranged !== undefined) return ranged;
    }
    const holder = await db
      .selectFrom('asset_locks')
      .select(['run_id', 'step_key'])
      .where('asset_key', 'in', assets)
      .where('partition_key', 'in', parts)
      .orderBy('asset_key')
      .orderBy('partition_key')
      .executeTakeFirst();
    if (holder) return { started: false, reason: 'asset-busy', holder: { runId: holder.run_id, stepKey: holder.step_key } };
  }
}

class Busy extends Error {}

/**
 * A step of a ranged run locks every partition of its range, and a multi-asset's step every
 * (asset, partition) of its keys: in one transaction, the step row (PENDING), the lock rows in
 * (asset, partition) order (so two such steps over overlapping sets cannot wait on each other in a
 * cycle), then RUNNING; when any of them is held by another step the whole transaction rolls back
 * and nothing is left behind. Undefined when some lock was busy.
 */
async function startRangedStep(db: StorageDb, runId: string, stepKey: string, attempt: number, at: Date, worker: string): Promise<StartStepResult | undefined> {
  try {
    return await db.transaction().execute(async (trx) => {
      const step = await trx
        .selectFrom('run_steps')
        .select(['asset_key', 'partitions', 'asset_keys'])
        .where('run_id', '=', runId)
        .where('step_key', '=', stepKey)
        .where('status', '=', 'PENDING')
        .forNoKeyUpdate()
        .executeTakeFirst();
      if (!step) return NOT_PENDING;
      const parts = [...new Set(step.partitions ?? [''])].sort();
      const locks = [...new Set(step.asset_keys ?? [step.asset_key])].sort().flatMap((asset) => parts.map((part) => ({ asset, part })));
      const taken = await trx
        .insertInto('asset_locks')
        .values(locks.map(({ asset, part }) => ({ asset_key: asset, partition_key: part, run_id: runId, step_key: stepKey, worker, acquired_at: at })))
        .onConflict((oc) =>
          oc
            .columns(['asset_key', 'partition_key'])
            .doUpdateSet((eb) => ({ worker: eb.ref('excluded.worker'), acquired_at: eb.ref('excluded.acquired_at') }))
            .where('asset_locks.run_id', '=', runId)
            .where('asset_locks.step_key', '=', stepKey),
        )
        .returning('partition_key')
        .execute();
      if (taken.length < locks.length) throw new Busy();
      await trx
        .updateTable('run_steps')
        .set({ status: 'RUNNING', attempt, started_at: at, ended_at: null, error: null, worker })
        .where('run_id', '=', runId)
        .where('step_key', '=', stepKey)
        .execute();
      return step.asset_keys ? { started: true, assetKeys: step.asset_keys, partitions: step.partitions } : STARTED;
    });
  } catch (error) {
    if (error instanceof Busy) return undefined;
    throw error;
  }
}

function claimStep(db: StorageDb, schema: string, runId: string, stepKey: string, attempt: number, at: Date, worker: string) {
  const q = new SqlText(schema);
  const run = q.bind(runId, 'text');
  const step = q.bind(stepKey, 'text');
  const when = q.bind(at, 'timestamptz');
  const by = q.bind(worker, 'text');
  return q.execute<{ asset_key: string | null; kind: 'asset' | 'check' | null; partitions: string[] | null; asset_keys: string[] | null; started: boolean }>(
    db,
    `with claimed as (
       select kind, asset_key, partitions, asset_keys from ${q.table('run_steps')}
       where run_id = ${run} and step_key = ${step} and status = 'PENDING'
       for no key update
     ),
     taken as (
       insert into ${q.table('asset_locks')} as l (asset_key, partition_key, run_id, step_key, worker, acquired_at)
       select asset_key, coalesce(partitions[1], ''), ${run}, ${step}, ${by}, ${when} from claimed
       where kind = 'asset' and coalesce(cardinality(partitions), 0) <= 1 and asset_keys is null
       on conflict (asset_key, partition_key) do update set worker = excluded.worker, acquired_at = excluded.acquired_at
         where l.run_id = ${run} and l.step_key = ${step}
       returning asset_key
     ),
     started as (
       update ${q.table('run_steps')}
       set status = 'RUNNING', attempt = ${q.bind(attempt, 'integer')}, started_at = ${when}, ended_at = null, error = null, worker = ${by}
       where run_id = ${run} and step_key = ${step} and status = 'PENDING'
         and (exists (select from claimed where kind = 'check') or exists (select from taken))
       returning step_key
     )
     select (select asset_key from claimed) as asset_key, (select kind from claimed) as kind, (select partitions from claimed) as partitions, (select asset_keys from claimed) as asset_keys, exists (select from started) as started,
            set_config('synchronous_commit', 'off', true) as async_commit`,
  );
}
