import type { Insertable } from 'kysely';
import type { EventsTable, StorageDb } from '../database.js';
import type { StepOutcome } from '../instance.js';
import { chunkRows } from './chunk-rows.js';
import { toEventRow } from './insert-events.js';
import { outcomeEvents, type FinishedStep } from './outcome-events.js';

/**
 * Writes how an attempt ended: its events and its materializations or check_results row, in one
 * statement for the usual step (the row is inserted by a CTE of the events' INSERT). The caller
 * holds the run lock and the transaction.
 */
export async function recordOutcome(trx: StorageDb, step: FinishedStep, outcome: StepOutcome): Promise<void> {
  const [first = [], ...rest] = chunkRows(outcomeEvents(step, outcome).map(toEventRow), 5);
  await withOutcomeRow(trx, step, outcome, first);
  for (const rows of rest) await trx.insertInto('events').values(rows).execute();
}

function withOutcomeRow(trx: StorageDb, step: FinishedStep, outcome: StepOutcome, events: Insertable<EventsTable>[]) {
  const { runId, stepKey, assetKey } = step;
  if (outcome.materialization) {
    const { metadata, dataVersion } = outcome.materialization;
    return trx
      .with('outcome_row', (qb) =>
        qb
          .insertInto('materializations')
          .values({ asset_key: assetKey, run_id: runId, step_key: stepKey, metadata: JSON.stringify(metadata), data_version: dataVersion ?? null, at: outcome.at })
          .returning('id'),
      )
      .insertInto('events')
      .values(events)
      .execute();
  }
  if (outcome.check) {
    const { passed, severity, blocking, metadata, description } = outcome.check;
    return trx
      .with('outcome_row', (qb) =>
        qb
          .insertInto('check_results')
          .values({
            run_id: runId,
            asset_key: assetKey,
            check_name: step.checkName ?? stepKey,
            passed,
            severity,
            blocking,
            metadata: JSON.stringify(metadata),
            description: description ?? null,
            at: outcome.at,
          })
          .returning('id'),
      )
      .insertInto('events')
      .values(events)
      .execute();
  }
  return trx.insertInto('events').values(events).execute();
}
