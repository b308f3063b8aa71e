import type { NewEvent } from '../../core/events.js';
import type { StorageDb } from '../database.js';
import type { StepOutcome } from '../run-storage.js';
import { SqlText } from './sql-text.js';

/** One attempt of a batch for endAttempts: `rank` is its place in key order, `checkName` as finishStep names its check result. */
export interface AttemptEnd {
  readonly rank: number;
  readonly stepKey: string;
  readonly checkName: string;
  readonly outcome: StepOutcome;
  /** The events its end writes (outcomeEvents), in order. */
  readonly events: readonly NewEvent[];
}

/** Per attempt (by rank): whether it matched, and the children it made ready. */
export interface AttemptsEnded {
  readonly ended: ReadonlySet<number>;
  readonly ready: ReadonlyMap<number, string[]>;
  readonly remaining: number;
}

/**
 * finishSteps for a batch with no FAILED outcome (SUCCEEDED and CANCELED only: nothing is skipped,
 * so no step row is written twice), as one statement over the batch's rows instead of a statement
 * per step. Each CTE is finishStep's over every matched attempt (see finishStep for what each
 * writes), in the same lock order: (1) every step row the batch touches (the steps and the
 * children of the SUCCEEDED ones) locked in key order before anything is written; (2) the steps'
 * asset locks, locked in (asset, partition) order before they are deleted; (3) the run row last, from which the batch's events are inserted in rank order, each
 * attempt's only when it matched. A child freed by several attempts of the batch is ready for the
 * last of them in rank order (as when they finish one after the other).
 */
export async function endAttempts(db: StorageDb, schema: string, runId: string, attempts: readonly AttemptEnd[]): Promise<AttemptsEnded> {
  const q = new SqlText(schema);
  const steps = q.table('run_steps');
  const run = q.bind(runId, 'text');
  const input = q.bind(JSON.stringify(attempts.map(inputRow)), 'jsonb');
  const events = q.bind(JSON.stringify(attempts.flatMap((a) => a.events.map((event) => ({ rank: a.rank, stepKey: event.stepKey, type: event.type, at: event.at.toISOString(), data: event.data })))), 'jsonb');
  const rows = await q.execute<{ rank: number | null; ready: string[] | null; remaining: number | string | null }>(
    db,
    `with input as (
       select * from jsonb_to_recordset(${input}) as x(rank integer, key text, attempt integer, status text, at timestamptz, error jsonb,
                                                      mat jsonb, chk jsonb, check_name text, cur jsonb)
     ),
     targets as (
       select step_key from ${steps}
       where run_id = ${run} and step_key = any(array(
         select key from input
         union
         select unnest(f.children) from ${steps} f join input x on x.key = f.step_key and x.status = 'SUCCEEDED' where f.run_id = ${run}))
       order by step_key
       for no key update
     ),
     ended as (
       update ${steps} s set status = x.status, ended_at = x.at, error = x.error
       from input x
       where s.run_id = ${run} and s.step_key = x.key and s.status = 'RUNNING' and s.attempt = x.attempt
         and (select count(*) from targets) > 0
       returning s.step_key, s.asset_key, s.kind, s.partitions, s.asset_keys, s.children, x.rank, x.status, x.at, x.mat, x.chk, x.check_name, x.cur
     ),
     held as (
       select l.asset_key, l.partition_key from ${q.table('asset_locks')} l join ended e
         on l.asset_key = any(coalesce(e.asset_keys, array[e.asset_key])) and l.run_id = ${run} and l.step_key = e.step_key
       order by l.asset_key, l.partition_key
       for update of l
     ),
     released as (
       delete from ${q.table('asset_locks')} l using held h
       where l.asset_key = h.asset_key and l.partition_key = h.partition_key
       returning l.asset_key
     ),
     materialized as (
       insert into ${q.table('materializations')} (asset_key, partition_key, run_id, step_key, metadata, data_version, code_version, at)
       select e.asset_key, k.key, ${run}, e.step_key, e.mat->'metadata', e.mat->>'dataVersion', e.mat->>'codeVersion', e.at
       from ended e left join lateral unnest(e.partitions) with ordinality as k(key, n) on true
       where e.mat is not null
       order by e.rank, k.n
       returning id
     ),
     checked as (
       insert into ${q.table('check_results')} (run_id, asset_key, check_name, passed, severity, blocking, metadata, description, at, partition_key)
       select ${run}, e.asset_key, e.check_name, (e.chk->>'passed')::boolean, e.chk->>'severity', (e.chk->>'blocking')::boolean, e.chk->'metadata',
              e.chk->>'description', e.at, case when cardinality(e.partitions) = 1 then e.partitions[1] end
       from ended e
       where e.chk is not null
       order by e.rank
       returning id
     ),
     state as (
       insert into ${q.table('asset_partitions')} as p (asset_key, partition_key, status, run_id, step_key, materialized_at, code_version, updated_at)
       select e.asset_key, coalesce(k.key, ''), 'MATERIALIZED', ${run}, e.step_key, e.at, e.mat->>'codeVersion', e.at
       from ended e left join lateral unnest(e.partitions) as k(key) on true
       where e.status = 'SUCCEEDED' and e.kind = 'asset' and e.asset_keys is null
       on conflict (asset_key, partition_key) do update
         set status = excluded.status, run_id = excluded.run_id, step_key = excluded.step_key, updated_at = excluded.updated_at,
             materialized_at = excluded.materialized_at, code_version = excluded.code_version
         where not (p.run_id = excluded.run_id and p.step_key = excluded.step_key and p.status = 'MATERIALIZED')
       returning asset_key
     ),
     cursor as (
       insert into ${q.table('asset_cursors')} as c (asset_key, partition_key, value, run_id, step_key, updated_at)
       select e.asset_key, case when cardinality(e.partitions) = 1 then e.partitions[1] else '' end, e.cur->'value', ${run}, e.step_key, e.at
       from ended e
       where e.cur is not null and e.status = 'SUCCEEDED' and e.asset_keys is null
       on conflict (asset_key, partition_key) do update
         set value = excluded.value, run_id = excluded.run_id, step_key = excluded.step_key, updated_at = excluded.updated_at
       returning asset_key
     ),
     freeing as (
       select c.key, count(*)::integer as n, max(e.rank) as rank
       from ended e cross join lateral unnest(e.children) as c(key)
       where e.status = 'SUCCEEDED'
       group by c.key
     ),
     freed as (
       update ${steps} s set waiting = s.waiting - d.n
       from freeing d
       where s.run_id = ${run} and s.step_key = d.key
       returning s.step_key, s.status, s.waiting, d.rank
     ),
     run as (
       update ${q.table('runs')} set unfinished = unfinished - (select count(*) from ended)
       where id = ${run} and exists (select from ended)
         and (select count(*) from released) + (select count(*) from materialized) + (select count(*) from checked)
             + (select count(*) from state) + (select count(*) from cursor) + (select count(*) from freed) >= 0
       returning id, unfinished
     ),
     logged as (
       insert into ${q.table('events')} (run_id, step_key, type, at, data)
       select run.id, v.value->>'stepKey', v.value->>'type', (v.value->>'at')::timestamptz, v.value->'data'
       from run, jsonb_array_elements(${events}) with ordinality as v
       where (v.value->>'rank')::integer in (select rank from ended)
       order by v.ordinality
       returning id
     )
     select e.rank, (select array_agg(f.step_key order by f.step_key) from freed f where f.rank = e.rank and f.status = 'PENDING' and f.waiting = 0) as ready,
            null::bigint as remaining
     from ended e
     union all
     select null, null, coalesce((select unfinished from run), (select unfinished from ${q.table('runs')} where id = ${run})) + 0 * (select count(*) from logged)`,
  );
  const ended = new Set<number>();
  const ready = new Map<number, string[]>();
  let remaining = 0;
  for (const row of rows) {
    if (row.rank === null) remaining = Number(row.remaining ?? 0);
    else {
      ended.add(row.rank);
      if (row.ready) ready.set(row.rank, row.ready);
    }
  }
  return { ended, ready, remaining };
}

function inputRow(a: AttemptEnd) {
  const { outcome } = a;
  const m = outcome.materialization;
  const c = outcome.check;
  return {
    rank: a.rank,
    key: a.stepKey,
    attempt: outcome.attempt,
    status: outcome.status,
    at: outcome.at.toISOString(),
    ...(outcome.error ? { error: outcome.error } : {}),
    ...(m ? { mat: { metadata: m.metadata, dataVersion: m.dataVersion ?? null, codeVersion: m.codeVersion ?? null } } : {}),
    ...(c
      ? { chk: { passed: c.passed, severity: c.severity, blocking: c.blocking, metadata: c.metadata, description: c.description ?? null } }
      : {}),
    check_name: a.checkName,
    ...(outcome.cursor && outcome.status === 'SUCCEEDED' ? { cur: { value: outcome.cursor.value } } : {}),
  };
}
