import type { Insertable } from 'kysely';
import { SluiceError } from '../../core/errors.js';
import type { RunStepsTable, StorageDb } from '../database.js';
import type { NewRun, RunRecord } from '../instance.js';
import { chunkRows } from './chunk-rows.js';
import { insertEvents } from './insert-events.js';
import { toRunRecord } from './row-mappers.js';

const STEP_COLUMNS = 10;
const UNIQUE_VIOLATION = '23505';

/**
 * One transaction: the run row (QUEUED, every step unfinished), its steps (PENDING, each waiting for
 * its deps; bulk inserted in chunks under the parameter limit) and RUN_QUEUED. Throws RUN_ALREADY_EXISTS for a reused id, INVALID_RUN_PLAN for
 * duplicate step keys or deps outside the run.
 */
export async function createRun(db: StorageDb, run: NewRun): Promise<RunRecord> {
  const steps = toStepRows(run);
  try {
    return await insertRun(db, run, steps);
  } catch (error) {
    // Step keys were checked above, so a unique violation can only be the run's primary key.
    if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) {
      throw new SluiceError('RUN_ALREADY_EXISTS', `run "${run.id}" already exists: each run needs a fresh id`, { runId: run.id }, { kind: 'internal', cause: error });
    }
    throw error;
  }
}

function insertRun(db: StorageDb, run: NewRun, steps: Insertable<RunStepsTable>[]): Promise<RunRecord> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('runs')
      .values({
        id: run.id,
        status: 'QUEUED',
        selection: run.selection,
        trigger: run.trigger,
        tags: JSON.stringify(run.tags),
        config: JSON.stringify(run.config),
        config_name: run.configRef?.name ?? null,
        config_version: run.configRef?.version ?? null,
        created_at: run.at,
        unfinished: steps.length,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    for (const rows of chunkRows(steps, STEP_COLUMNS)) await trx.insertInto('run_steps').values(rows).execute();
    await insertEvents(trx, [
      { type: 'RUN_QUEUED', runId: run.id, stepKey: null, at: run.at, data: { selection: run.selection, trigger: run.trigger } },
    ]);
    return toRunRecord(row);
  });
}

/** The step rows of a run, each with its children (the inverse of deps). */
function toStepRows(run: NewRun): Insertable<RunStepsTable>[] {
  const children = new Map<string, string[]>();
  for (const step of run.steps) {
    if (children.has(step.key)) throw invalidPlan(run.id, `step "${step.key}" appears twice`);
    children.set(step.key, []);
  }
  for (const step of run.steps) {
    for (const dep of step.deps) {
      const siblings = children.get(dep);
      if (!siblings) throw invalidPlan(run.id, `step "${step.key}" depends on "${dep}", which is not a step of the run`);
      siblings.push(step.key);
    }
  }
  return run.steps.map((step, position) => ({
    run_id: run.id,
    step_key: step.key,
    kind: step.kind,
    asset_key: step.assetKey,
    check_name: step.checkName,
    position,
    deps: [...step.deps],
    children: children.get(step.key) ?? [],
    status: 'PENDING',
    waiting: new Set(step.deps).size,
  }));
}

function invalidPlan(runId: string, problem: string): SluiceError {
  return new SluiceError('INVALID_RUN_PLAN', `cannot create run "${runId}": ${problem}; build the plan with buildPlan()`, { runId }, { kind: 'internal' });
}
