import { sql } from 'kysely';
import type { StorageDb } from '../database.js';
import type { StepReports } from '../run-storage.js';
import { appendEvents } from './append-events.js';

/**
 * One transaction, in the store's lock order (the step row, the asset rows only the step's locks
 * let it write, the run row last through appendEvents): while the step is RUNNING that attempt, the
 * reported keys' materialization rows (one per partition of the step), their asset_partitions rows
 * (MATERIALIZED), their cursors, the reported check results, then the events (ids drawn under the
 * run lock, so they stay in commit order with the step's other events). Writes nothing and returns
 * false when the attempt is not RUNNING any more (taken over, or ended): its results are stale.
 */
export async function recordStepReports(db: StorageDb, runId: string, stepKey: string, attempt: number, reports: StepReports): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const step = await trx
      .selectFrom('run_steps')
      .select(['partitions'])
      .where('run_id', '=', runId)
      .where('step_key', '=', stepKey)
      .where('status', '=', 'RUNNING')
      .where('attempt', '=', attempt)
      .forNoKeyUpdate()
      .executeTakeFirst();
    if (!step) return false;
    const parts = step.partitions ?? [];
    const at = reports.at;
    const materializations = reports.materializations;
    if (materializations.length > 0) {
      await trx
        .insertInto('materializations')
        .values(
          materializations.flatMap((m) =>
            (parts.length > 0 ? parts : [null]).map((part) => ({
              asset_key: m.assetKey,
              partition_key: part,
              run_id: runId,
              step_key: stepKey,
              metadata: JSON.stringify(m.metadata),
              data_version: m.dataVersion ?? null,
              code_version: m.codeVersion ?? null,
              at,
            })),
          ),
        )
        .execute();
      await trx
        .insertInto('asset_partitions')
        .values(
          materializations.flatMap((m) =>
            (parts.length > 0 ? parts : ['']).map((part) => ({
              asset_key: m.assetKey,
              partition_key: part,
              status: 'MATERIALIZED' as const,
              run_id: runId,
              step_key: stepKey,
              materialized_at: at,
              code_version: m.codeVersion ?? null,
              updated_at: at,
            })),
          ),
        )
        .onConflict((oc) =>
          oc.columns(['asset_key', 'partition_key']).doUpdateSet({
            status: sql`excluded.status`,
            run_id: sql`excluded.run_id`,
            step_key: sql`excluded.step_key`,
            materialized_at: sql`excluded.materialized_at`,
            code_version: sql`excluded.code_version`,
            updated_at: sql`excluded.updated_at`,
          }),
        )
        .execute();
      const cursors = materializations.filter((m) => m.cursor !== undefined);
      if (cursors.length > 0) {
        await trx
          .insertInto('asset_cursors')
          .values(
            cursors.map((m) => ({
              asset_key: m.assetKey,
              partition_key: parts.length === 1 ? parts[0]! : '',
              value: JSON.stringify(m.cursor!.value),
              run_id: runId,
              step_key: stepKey,
              updated_at: at,
            })),
          )
          .onConflict((oc) =>
            oc.columns(['asset_key', 'partition_key']).doUpdateSet({
              value: sql`excluded.value`,
              run_id: sql`excluded.run_id`,
              step_key: sql`excluded.step_key`,
              updated_at: sql`excluded.updated_at`,
            }),
          )
          .execute();
      }
    }
    if (reports.checks.length > 0) {
      await trx
        .insertInto('check_results')
        .values(
          reports.checks.map((c) => ({
            run_id: runId,
            asset_key: c.assetKey,
            check_name: c.checkName,
            passed: c.passed,
            severity: c.severity,
            blocking: c.blocking,
            metadata: JSON.stringify(c.metadata),
            description: c.description ?? null,
            at,
            partition_key: parts.length === 1 ? parts[0]! : null,
          })),
        )
        .execute();
    }
    await appendEvents(trx, reports.events);
    return true;
  });
}
