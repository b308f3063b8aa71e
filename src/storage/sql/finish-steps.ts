import type { NewEvent } from '../../core/events.js';
import { parseStepKey } from '../../core/plan/execution-plan.js';
import type { StorageDb } from '../database.js';
import type { FinishStepResult, StepOutcome } from '../run-storage.js';
import { endAttempts } from './end-attempts.js';
import { endAttemptUnlogged, finishStep } from './finish-step.js';
import { jsonEventList } from './json-events.js';
import { outcomeEvents } from './outcome-events.js';
import { SqlText } from './sql-text.js';

/** One step's outcome in a batch of finishSteps. */
export interface StepFinish {
  readonly stepKey: string;
  readonly outcome: StepOutcome;
}

/**
 * Ends several RUNNING attempts of one run in one transaction (group commit): what finishStep does
 * for each, with one run-row update and one commit for all. Per step, the result finishStep would
 * have given; `remaining` counts as if the steps had finished one after the other in key order, so
 * of all finishers of the run exactly the last still sees 0. The store's lock order holds (see
 * finishStep): (1) every step row the batch touches (the steps, their children, every transitive
 * downstream step of a FAILED one), in one sorted pass before anything is written; (2) each step's
 * asset locks; (3) the run row, in the last statement, from which every event of the batch is
 * inserted in order (the steps in key order, each step's events as finishStep writes them), so event
 * ids of the run still increase in commit order. A step not RUNNING that attempt writes nothing.
 * A batch with no FAILED outcome (the common case: nothing to skip) is one statement over all its
 * steps (endAttempts) instead of a statement per step.
 */
export async function finishSteps(db: StorageDb, schema: string, runId: string, finishes: readonly StepFinish[]): Promise<FinishStepResult[]> {
  if (finishes.length === 1) return [await finishStep(db, schema, runId, finishes[0]!.stepKey, finishes[0]!.outcome)];
  const order = finishes.map((_, i) => i).sort((a, b) => compareKeys(finishes[a]!.stepKey, finishes[b]!.stepKey));
  if (!finishes.some((f) => f.outcome.status === 'FAILED')) return endAllAtOnce(db, schema, runId, finishes, order);
  return db.transaction().execute(async (trx) => {
    await lockTargets(trx, schema, runId, finishes);
    const ended: { ready: string[]; skipped: string[]; count: number }[] = new Array(finishes.length);
    const events: NewEvent[] = [];
    for (const i of order) {
      const { stepKey, outcome } = finishes[i]!;
      const { assetKey, checkName } = parseStepKey(stepKey);
      const step = { runId, stepKey, assetKey, checkName };
      const [row] = await endAttemptUnlogged(trx, schema, step, outcome);
      const matched = Number(row?.ended ?? 0) > 0;
      const skipped = row?.skipped ?? [];
      ended[i] = { ready: row?.ready ?? [], skipped, count: matched ? 1 + skipped.length : 0 };
      if (!matched) continue;
      events.push(...outcomeEvents(step, outcome));
      for (const key of skipped) events.push({ type: 'STEP_SKIPPED', runId, stepKey: key, at: outcome.at, data: { reason: `upstream step "${stepKey}" failed` } });
    }
    const total = ended.reduce((n, e) => n + e.count, 0);
    let remaining = await endBatch(trx, schema, runId, total, events);
    // Walking back from the last step in key order: each sees the count right after its own end.
    const results: FinishStepResult[] = new Array(finishes.length);
    for (const i of [...order].reverse()) {
      const e = ended[i]!;
      results[i] = { ready: e.ready, skipped: e.skipped, remaining };
      remaining += e.count;
    }
    return results;
  });
}

/** A batch that skips nothing: one statement (endAttempts), its results as the loop below gives them. */
async function endAllAtOnce(db: StorageDb, schema: string, runId: string, finishes: readonly StepFinish[], order: readonly number[]): Promise<FinishStepResult[]> {
  const attempts = order.map((i, rank) => {
    const { stepKey, outcome } = finishes[i]!;
    const { assetKey, checkName } = parseStepKey(stepKey);
    return { rank, stepKey, checkName: checkName ?? stepKey, outcome, events: outcomeEvents({ runId, stepKey, assetKey, checkName }, outcome) };
  });
  const { ended, ready, remaining: after } = await endAttempts(db, schema, runId, attempts);
  const results: FinishStepResult[] = new Array(finishes.length);
  let remaining = after;
  for (let rank = order.length - 1; rank >= 0; rank--) {
    results[order[rank]!] = { ready: ready.get(rank) ?? [], skipped: [], remaining };
    if (ended.has(rank)) remaining += 1;
  }
  return results;
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * (1) of the lock order: every step row the batch may write, sorted by key, in one statement (one
 * index scan over the keys, see finishStep's `targets`).
 */
async function lockTargets(db: StorageDb, schema: string, runId: string, finishes: readonly StepFinish[]): Promise<void> {
  const q = new SqlText(schema);
  const steps = q.table('run_steps');
  const run = q.bind(runId, 'text');
  const keys = q.bind(finishes.map((f) => f.stepKey), 'text[]');
  const failed = q.bind(finishes.filter((f) => f.outcome.status === 'FAILED').map((f) => f.stepKey), 'text[]');
  await q.execute(
    db,
    `with recursive downstream(step_key, deep) as (
       select unnest(f.children), f.step_key = any(${failed}) from ${steps} f where f.run_id = ${run} and f.step_key = any(${keys})
       union
       select unnest(s.children), true from ${steps} s join downstream d on d.step_key = s.step_key and d.deep where s.run_id = ${run}
     )
     select step_key from ${steps}
     where run_id = ${run} and step_key = any(array(select unnest(${keys}) union select step_key from downstream))
     order by step_key
     for no key update`,
  );
}

/**
 * (3) of the lock order: the run row (unfinished - what the batch ended), then the batch's events
 * inserted from it, their ids drawn under its lock, held to commit. Returns the run's count after.
 */
async function endBatch(db: StorageDb, schema: string, runId: string, ended: number, events: readonly NewEvent[]): Promise<number> {
  const q = new SqlText(schema);
  const run = q.bind(runId, 'text');
  const list = q.bind(jsonEventList(events), 'jsonb');
  const [row] = await q.execute<{ remaining: number | string | null }>(
    db,
    `with run as (
       update ${q.table('runs')} set unfinished = unfinished - ${q.bind(ended, 'integer')} where id = ${run} returning id, unfinished
     ),
     logged as (
       insert into ${q.table('events')} (run_id, step_key, type, at, data)
       select run.id, e.value->>'stepKey', e.value->>'type', (e.value->>'at')::timestamptz, e.value->'data'
       from run, jsonb_array_elements(${list}) with ordinality as e
       order by e.ordinality
       returning id
     )
     select (select unfinished from run) as remaining, (select count(*) from logged) as logged`,
  );
  return Number(row?.remaining ?? 0);
}
