import type { StorageDb } from '../database.js';
import type { StartStepResult } from '../run-storage.js';
import { SqlText } from './sql-text.js';

/** One start of a batch for startSteps (as startStep's arguments). */
export interface StepStart {
  readonly stepKey: string;
  readonly attempt: number;
  readonly at: Date;
  readonly worker: string;
}

const STARTED: StartStepResult = { started: true };
const NOT_PENDING: StartStepResult = { started: false, reason: 'not-pending' };

/**
 * startStep for several steps of one run (distinct keys), as one statement: claimStep's CTEs over
 * every step of the batch, the step rows locked in key order, the asset locks taken in (asset,
 * partition) order. Per start (in the order given): started, not-pending, or undefined when the
 * batch cannot say and the caller should use startStep alone: a ranged or multi-asset step (its
 * locks are all or none, see startRangedStep), or an asset held by another step (startStep names
 * the holder). The asset locks are taken in (asset, partition) order, the order in which every
 * release locks them before deleting them (see finishStep), so a statement taking several cannot
 * wait in a cycle with a finish or another start on server Postgres.
 */
export async function startSteps(db: StorageDb, schema: string, runId: string, starts: readonly StepStart[]): Promise<(StartStepResult | undefined)[]> {
  const q = new SqlText(schema);
  const steps = q.table('run_steps');
  const run = q.bind(runId, 'text');
  const input = q.bind(JSON.stringify(starts.map((s) => ({ key: s.stepKey, attempt: s.attempt, at: s.at.toISOString(), worker: s.worker }))), 'jsonb');
  const rows = await q.execute<{ step_key: string; plain: boolean; started: boolean }>(
    db,
    `with input as (
       select * from jsonb_to_recordset(${input}) as x(key text, attempt integer, at timestamptz, worker text)
     ),
     claimed as (
       select s.step_key, s.kind, s.asset_key, s.partitions, s.asset_keys, x.attempt, x.at, x.worker,
              s.asset_keys is null and coalesce(cardinality(s.partitions), 0) <= 1 as plain
       from ${steps} s join input x on x.key = s.step_key
       where s.run_id = ${run} and s.step_key = any(array(select key from input)) and s.status = 'PENDING'
       order by s.step_key
       for no key update of s
     ),
     taken as (
       insert into ${q.table('asset_locks')} as l (asset_key, partition_key, run_id, step_key, worker, acquired_at)
       select asset_key, coalesce(partitions[1], ''), ${run}, step_key, worker, at from claimed
       where kind = 'asset' and plain
       order by asset_key, coalesce(partitions[1], '')
       on conflict (asset_key, partition_key) do update set worker = excluded.worker, acquired_at = excluded.acquired_at
         where l.run_id = ${run} and l.step_key = excluded.step_key
       returning step_key
     ),
     started as (
       update ${steps} s set status = 'RUNNING', attempt = c.attempt, started_at = c.at, ended_at = null, error = null, worker = c.worker
       from claimed c
       where s.run_id = ${run} and s.step_key = c.step_key and s.status = 'PENDING' and c.plain
         and (c.kind = 'check' or c.step_key in (select step_key from taken))
       returning s.step_key
     )
     select c.step_key, c.plain, exists (select from started s where s.step_key = c.step_key) as started,
            set_config('synchronous_commit', 'off', true) as async_commit
     from claimed c`,
  );
  const byKey = new Map(rows.map((row) => [row.step_key, row]));
  return starts.map(({ stepKey }) => {
    const row = byKey.get(stepKey);
    if (!row) return NOT_PENDING;
    return row.started ? STARTED : undefined;
  });
}
