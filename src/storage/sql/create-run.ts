import type { Insertable } from 'kysely';
import { SluiceError } from '../../core/errors.js';
import type { RunStepsTable, RunsTable, StorageDb } from '../database.js';
import type { NewRun, RunRecord } from '../run-storage.js';
import { chunkRows } from './chunk-rows.js';
import { insertEvents } from './insert-events.js';
import { toRunRecord } from './row-mappers.js';

const RUN_COLUMNS = 13;
const STEP_COLUMNS = 12;
const UNIQUE_VIOLATION = '23505';

/**
 * One transaction: the run row (QUEUED, every step unfinished), its steps (PENDING, each waiting for
 * its deps; bulk inserted in chunks under the parameter limit) and RUN_QUEUED. Throws RUN_ALREADY_EXISTS for a reused id, INVALID_RUN_PLAN for
 * duplicate step keys or deps outside the run.
 */
export async function createRun(db: StorageDb, run: NewRun): Promise<RunRecord> {
  const [record] = await createRuns(db, [run], (write) => db.transaction().execute(write));
  return record!;
}

/**
 * Writes many runs as createRun does, in the transaction `inTransaction` opens (createBackfill
 * adds its own row to it): runs, steps and events each in as few multi-row statements as the
 * parameter limit allows, so a thousand runs cost a handful of round trips.
 */
export async function createRuns(
  db: StorageDb,
  runs: readonly NewRun[],
  inTransaction: (write: (trx: StorageDb) => Promise<RunRecord[]>) => Promise<RunRecord[]>,
): Promise<RunRecord[]> {
  const steps = runs.flatMap(toStepRows);
  try {
    return await inTransaction(async (trx) => {
      const records: RunRecord[] = [];
      for (const rows of chunkRows(runs.map(toRunRow), RUN_COLUMNS)) {
        for (const row of await trx.insertInto('runs').values(rows).returningAll().execute()) records.push(toRunRecord(row));
      }
      for (const rows of chunkRows(steps, STEP_COLUMNS)) await trx.insertInto('run_steps').values(rows).execute();
      await insertEvents(
        trx,
        runs.map((run) => ({
          type: 'RUN_QUEUED' as const,
          runId: run.id,
          stepKey: null,
          at: run.at,
          data: { selection: run.selection, trigger: run.trigger, ...(run.partition ? { partition: run.partition } : {}) },
        })),
      );
      return records;
    });
  } catch (error) {
    // Step keys were checked above, so a unique violation can only be a run's primary key.
    if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) {
      const ids = runs.map((r) => r.id);
      const which = ids.length === 1 ? `run "${ids[0]}" already exists` : `one of ${ids.length} runs ("${ids[0]}", ...) or their backfill already exists`;
      throw new SluiceError('RUN_ALREADY_EXISTS', `${which}: each run needs a fresh id`, { runIds: ids, runId: ids[0] }, { kind: 'internal', cause: error });
    }
    throw error;
  }
}

function toRunRow(run: NewRun): Insertable<RunsTable> {
  return {
    id: run.id,
    status: 'QUEUED',
    selection: run.selection,
    trigger: run.trigger,
    tags: JSON.stringify(run.tags),
    config: JSON.stringify(run.config),
    config_name: run.configRef?.name ?? null,
    config_version: run.configRef?.version ?? null,
    created_at: run.at,
    unfinished: run.steps.length,
    partition: run.partition ?? null,
    backfill_id: run.backfillId ?? null,
  };
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
    partitions: step.partitions && step.partitions.length > 0 ? [...step.partitions] : null,
    asset_keys: step.assetKeys ? [...step.assetKeys] : null,
  }));
}

function invalidPlan(runId: string, problem: string): SluiceError {
  return new SluiceError('INVALID_RUN_PLAN', `cannot create run "${runId}": ${problem}; build the plan with buildPlan()`, { runId }, { kind: 'internal' });
}
