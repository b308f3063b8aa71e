import type { StorageDb } from '../database.js';
import type { FinishStepResult, StepOutcome } from '../run-storage.js';
import { parseStepKey } from '../../core/plan/execution-plan.js';
import { jsonEventList } from './json-events.js';
import { outcomeEvents, type FinishedStep } from './outcome-events.js';
import { SqlText } from './sql-text.js';

/**
 * One statement, committed on its own (see endAttempt); a step not RUNNING that attempt matches
 * nothing, so a repeated or stale call writes nothing. The step's asset and check name come from its
 * key (plans make asset steps `<asset>` and check steps `<asset>#<check>`), its children from its
 * row inside the statement. `remaining` is the run's unfinished count right after this call's
 * commit (or now, for a call that changed nothing), so of the finishers of a run exactly the last
 * sees 0.
 */
export async function finishStep(db: StorageDb, schema: string, runId: string, stepKey: string, outcome: StepOutcome): Promise<FinishStepResult> {
  const { assetKey, checkName } = parseStepKey(stepKey);
  const [row] = await endAttempt(db, schema, { runId, stepKey, assetKey, checkName }, outcome);
  if (!row || row.remaining === null) return unchanged(db, runId);
  return { ready: row.ready ?? [], skipped: row.skipped ?? [], remaining: Number(row.remaining) };
}

async function unchanged(db: StorageDb, runId: string): Promise<FinishStepResult> {
  const run = await db.selectFrom('runs').select('unfinished').where('id', '=', runId).executeTakeFirst();
  return { ready: [], skipped: [], remaining: run?.unfinished ?? 0 };
}

/**
 * One statement. The store's lock order, which every writer follows, so that no cycle of waits can
 * form: (1) step rows of one run, in step-key order (startStep and retryStep take one, finishStep
 * the step and what it touches downstream in one sorted pass, cancelPendingSteps the PENDING ones
 * sorted); (2) asset_locks rows in (asset, partition) order (a start inserts them in that order, a
 * release locks them in that order before it deletes them: `held`); (3) run rows, in id order, only
 * in the tail of the last statement, held to commit. A writer holding a run row waits for nothing
 * but its commit, and one holding an asset lock waits only for a later asset lock or a run row. (Foreign-key checks of events take KEY SHARE on
 * runs, which never conflicts with NO KEY UPDATE.)
 *   downstream  the steps this outcome touches: the children (SUCCEEDED, read from the step's row),
 *               every transitive downstream step (FAILED: a recursive walk over `children`, PK
 *               lookups), none (CANCELED);
 *   targets     the step and `downstream`, locked in key order before anything is written;
 *   ended       RUNNING (that attempt) -> the outcome's status; everything below happens only if it matched;
 *   held        the step's asset locks (one per partition), locked in (asset, partition) order,
 *               whatever the outcome (a check step matches no lock row);
 *   released    those rows, deleted;
 *   outcome     the materialization rows (one per partition of the step) or the check result row;
 *   state       an asset step's final outcome: its (asset, partition) rows of asset_partitions,
 *               MATERIALIZED (with time and code version) or FAILED (keeping the last
 *               materialization's time); only the holder of those partitions' locks writes them;
 *   cursor      SUCCEEDED with a cursor: the asset's cursor row, upserted (so the cursor moves only
 *               with a success, in its commit; the step's asset lock keeps writers of one asset apart);
 *   freed       SUCCEEDED: every child's `waiting` - 1; those now PENDING at 0 are ready. The
 *               children are locked, so of two parents finishing at once exactly one sees 0;
 *   skipped     FAILED: the PENDING downstream steps -> SKIPPED;
 *   run         the run row, updated last (unfinished - the steps this call ended), which takes its
 *               lock; every event is inserted from it, so ids are drawn under the run lock, held to
 *               commit: event ids of a run increase in commit order, and the lock is held for the
 *               tail of one statement and its commit only. The `>= 0` conditions only make the
 *               writes above run first (their locks come before the run row's).
 */
function endAttempt(db: StorageDb, schema: string, step: FinishedStep, outcome: StepOutcome) {
  return attemptStatement(db, schema, step, outcome, false) as Promise<{ remaining: number | string | null; ready: string[] | null; skipped: string[] | null }[]>;
}

/**
 * endAttempt without its tail: no run row, no events. For finishSteps, which takes the run row once
 * for a batch, after every step's statement, and inserts the batch's events from it. `ended` is 1
 * when the attempt matched (0: nothing was written), `skipped` the keys it skipped.
 */
export function endAttemptUnlogged(db: StorageDb, schema: string, step: FinishedStep, outcome: StepOutcome) {
  return attemptStatement(db, schema, step, outcome, true) as Promise<{ ended: number | string; ready: string[] | null; skipped: string[] | null }[]>;
}

function attemptStatement(db: StorageDb, schema: string, step: FinishedStep, outcome: StepOutcome, unlogged: boolean) {
  const q = new SqlText(schema);
  const run = q.bind(step.runId, 'text');
  const key = q.bind(step.stepKey, 'text');
  const at = q.bind(outcome.at, 'timestamptz');
  const steps = q.table('run_steps');
  const failed = outcome.status === 'FAILED';
  const freeing = outcome.status === 'SUCCEEDED';
  // Only the step's own row when nothing downstream is touched: `ended` locks it by itself.
  const ctes: string[] = [];
  if (failed || freeing) {
    const children = `select unnest(f.children) from ${steps} f where f.run_id = ${run} and f.step_key = ${key}`;
    const downstream = failed
      ? `${children}
         union
         select unnest(s.children) from ${steps} s join downstream d on d.step_key = s.step_key where s.run_id = ${run}`
      : children;
    // `= any(array(...))`: one index scan of the keys; `step_key = $k or step_key in (...)` made
    // the planner read every step of the run, per finish (10,000 rows for a 10,000-step run).
    ctes.push(
      `downstream(step_key) as (${downstream})`,
      `targets as (
         select step_key from ${steps}
         where run_id = ${run} and step_key = any(array(select ${key} union select step_key from downstream))
         order by step_key
         for no key update
       )`,
    );
  }
  ctes.push(
    `ended as (
       update ${steps} set status = ${q.bind(outcome.status, 'text')}, ended_at = ${at}, error = ${q.bind(outcome.error ? JSON.stringify(outcome.error) : null, 'jsonb')}
       where run_id = ${run} and step_key = ${key} and status = 'RUNNING' and attempt = ${q.bind(outcome.attempt, 'integer')}
         ${failed || freeing ? 'and (select count(*) from targets) > 0' : ''}
       returning asset_key, kind, partitions, asset_keys
     )`,
    `held as (
       select asset_key, partition_key from ${q.table('asset_locks')}
       where asset_key = any(array(select unnest(coalesce(asset_keys, array[asset_key])) from ended)) and run_id = ${run} and step_key = ${key}
       order by asset_key, partition_key
       for update
     )`,
    `released as (
       delete from ${q.table('asset_locks')} l using held h
       where l.asset_key = h.asset_key and l.partition_key = h.partition_key
       returning l.asset_key
     )`,
  );
  const before = ['released'];
  const row = outcomeRow(q, step, outcome, run, key, at);
  if (row) ctes.push(`outcome as (${row})`), before.push('outcome');
  if (outcome.status !== 'CANCELED') {
    const succeeded = outcome.status === 'SUCCEEDED';
    // A multi-asset's keys were written MATERIALIZED as the step reported them; a failure marks
    // FAILED those it had not reported (by this run and step).
    ctes.push(
      `state as (
         insert into ${q.table('asset_partitions')} as p (asset_key, partition_key, status, run_id, step_key, materialized_at, code_version, updated_at)
         select a.key, coalesce(k.key, ''), ${succeeded ? `'MATERIALIZED'` : `'FAILED'`}, ${run}, ${key}, ${succeeded ? at : 'null::timestamptz'},
                ${q.bind(outcome.materialization?.codeVersion ?? null, 'text')}, ${at}
         from ended e cross join lateral unnest(coalesce(e.asset_keys, array[e.asset_key])) as a(key)
              left join lateral unnest(e.partitions) as k(key) on true
         where e.kind = 'asset' ${succeeded ? 'and e.asset_keys is null' : ''}
         on conflict (asset_key, partition_key) do update
           set status = excluded.status, run_id = excluded.run_id, step_key = excluded.step_key, updated_at = excluded.updated_at
               ${succeeded ? ', materialized_at = excluded.materialized_at, code_version = excluded.code_version' : ''}
           where not (p.run_id = excluded.run_id and p.step_key = excluded.step_key and p.status = 'MATERIALIZED')
         returning asset_key
       )`,
    );
    before.push('state');
  }
  if (outcome.cursor && outcome.status === 'SUCCEEDED') {
    ctes.push(
      `cursor as (
         insert into ${q.table('asset_cursors')} as c (asset_key, partition_key, value, run_id, step_key, updated_at)
         select asset_key, case when cardinality(partitions) = 1 then partitions[1] else '' end,
                ${q.bind(JSON.stringify(outcome.cursor.value), 'jsonb')}, ${run}, ${key}, ${at} from ended where asset_keys is null
         on conflict (asset_key, partition_key) do update
           set value = excluded.value, run_id = excluded.run_id, step_key = excluded.step_key, updated_at = excluded.updated_at
         returning asset_key
       )`,
    );
    before.push('cursor');
  }
  if (freeing) {
    ctes.push(
      `freed as (
         update ${steps} set waiting = waiting - 1
         where run_id = ${run} and step_key = any(array(select step_key from downstream)) and exists (select from ended)
         returning step_key, status, waiting
       )`,
    );
    before.push('freed');
  }
  if (failed) {
    ctes.push(
      `skipped as (
         update ${steps} set status = 'SKIPPED', ended_at = ${at}
         where run_id = ${run} and status = 'PENDING' and step_key = any(array(select step_key from downstream)) and exists (select from ended)
         returning step_key
       )`,
    );
    before.push('skipped');
  }
  const ready = freeing ? `(select array_agg(step_key order by step_key) from freed where status = 'PENDING' and waiting = 0)` : 'null::text[]';
  const skipped = failed ? `(select array_agg(step_key order by step_key) from skipped)` : 'null::text[]';
  if (unlogged) {
    return q.execute<unknown>(
      db,
      `with ${failed ? 'recursive ' : ''}${ctes.join(',\n')}
       select (select count(*) from ended) as ended, ${ready} as ready, ${skipped} as skipped`,
    );
  }
  ctes.push(
    `run as (
       update ${q.table('runs')} set unfinished = unfinished - 1 ${failed ? '- (select count(*) from skipped)' : ''}
       where id = ${run} and exists (select from ended)
         and ${before.map((name) => `(select count(*) from ${name})`).join(' + ')} >= 0
       returning id, unfinished
     )`,
  );
  const events = q.bind(jsonEventList(outcomeEvents(step, outcome)), 'jsonb');
  const outcomeEventRows = `select run.id as run_id, e.value->>'stepKey' as step_key, e.value->>'type' as type, (e.value->>'at')::timestamptz as at,
                                   e.value->'data' as data, 0 as grp, e.ordinality as ord, null::text as skipped_key
                            from run, jsonb_array_elements(${events}) with ordinality as e`;
  const skippedEventRows = () => `select run.id, s.step_key, 'STEP_SKIPPED', ${at}, ${q.bind(JSON.stringify({ reason: `upstream step "${step.stepKey}" failed` }), 'jsonb')}, 1, 0, s.step_key
                            from run, skipped s`;
  ctes.push(
    `logged as (
       insert into ${q.table('events')} (run_id, step_key, type, at, data)
       select run_id, step_key, type, at, data from (${failed ? `${outcomeEventRows} union all ${skippedEventRows()}` : outcomeEventRows}) u
       order by grp, ord, skipped_key
       returning id
     )`,
  );
  return q.execute<unknown>(
    db,
    `with ${failed ? 'recursive ' : ''}${ctes.join(',\n')}
     select (select unfinished from run) as remaining, ${ready} as ready, ${skipped} as skipped`,
  );
}

/** The `outcome` CTE: insert the materialization or check result row (none for other outcomes). */
function outcomeRow(q: SqlText, step: FinishedStep, outcome: StepOutcome, run: string, key: string, at: string): string | undefined {
  if (outcome.materialization) {
    const { metadata, dataVersion, codeVersion } = outcome.materialization;
    return `insert into ${q.table('materializations')} (asset_key, partition_key, run_id, step_key, metadata, data_version, code_version, at)
            select e.asset_key, k.key, ${run}, ${key}, ${q.bind(JSON.stringify(metadata), 'jsonb')}, ${q.bind(dataVersion ?? null, 'text')},
                   ${q.bind(codeVersion ?? null, 'text')}, ${at}
            from ended e left join lateral unnest(e.partitions) with ordinality as k(key, n) on true
            order by k.n
            returning id`;
  }
  if (outcome.check) {
    const { passed, severity, blocking, metadata, description } = outcome.check;
    return `insert into ${q.table('check_results')} (run_id, asset_key, check_name, passed, severity, blocking, metadata, description, at, partition_key)
            select ${run}, asset_key, ${q.bind(step.checkName ?? step.stepKey, 'text')}, ${q.bind(passed, 'boolean')}, ${q.bind(severity, 'text')},
                   ${q.bind(blocking, 'boolean')}, ${q.bind(JSON.stringify(metadata), 'jsonb')}, ${q.bind(description ?? null, 'text')}, ${at},
                   case when cardinality(partitions) = 1 then partitions[1] end from ended
            returning id`;
  }
  return undefined;
}
