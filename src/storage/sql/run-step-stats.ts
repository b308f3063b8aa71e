import { sql } from 'kysely';
import type { StepStatus } from '../../core/run/run-status.js';
import type { StorageDb } from '../database.js';
import type { RunStepStats } from '../run-storage.js';

const STEP_STATUSES: readonly StepStatus[] = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELED'];

/** bigint aggregates come back as strings from pg and as numbers from PGlite. */
type Count = string | number;

interface StatsRow {
  run_id: string;
  attempts: Count | null;
  retries: Count | null;
  workers: string[] | null;
  pending: Count;
  running: Count;
  succeeded: Count;
  failed: Count;
  skipped: Count;
  canceled: Count;
}

function empty(): RunStepStats {
  const stepCounts = Object.fromEntries(STEP_STATUSES.map((status) => [status, 0])) as Record<StepStatus, number>;
  return { attempts: 0, retries: 0, failures: 0, workers: [], stepCounts };
}

/**
 * Step statistics of each of `runIds`, in one aggregate over run_steps (what a runs page shows
 * beside each run). `attempt` is a step's last attempt number, so attempts = the sum of it and
 * retries = the attempts beyond each step's first; `workers` are the distinct workers of each
 * step's last attempt. Every asked id is in the map (zeros for an unknown run or one without steps).
 */
export async function runStepStats(db: StorageDb, runIds: readonly string[]): Promise<Map<string, RunStepStats>> {
  const stats = new Map<string, RunStepStats>(runIds.map((id) => [id, empty()]));
  if (runIds.length === 0) return stats;
  const countOf = (status: StepStatus) => sql<Count>`count(*) filter (where status = ${status})`;
  const rows = (await db
    .selectFrom('run_steps')
    .select([
      'run_id',
      sql<Count | null>`sum(attempt)`.as('attempts'),
      sql<Count | null>`sum(greatest(attempt - 1, 0))`.as('retries'),
      sql<string[] | null>`array_agg(distinct worker order by worker) filter (where worker is not null)`.as('workers'),
      countOf('PENDING').as('pending'),
      countOf('RUNNING').as('running'),
      countOf('SUCCEEDED').as('succeeded'),
      countOf('FAILED').as('failed'),
      countOf('SKIPPED').as('skipped'),
      countOf('CANCELED').as('canceled'),
    ])
    .where('run_id', 'in', [...new Set(runIds)])
    .groupBy('run_id')
    .execute()) as StatsRow[];
  for (const row of rows) {
    const stepCounts: Record<StepStatus, number> = {
      PENDING: Number(row.pending),
      RUNNING: Number(row.running),
      SUCCEEDED: Number(row.succeeded),
      FAILED: Number(row.failed),
      SKIPPED: Number(row.skipped),
      CANCELED: Number(row.canceled),
    };
    stats.set(row.run_id, {
      attempts: Number(row.attempts ?? 0),
      retries: Number(row.retries ?? 0),
      failures: stepCounts.FAILED,
      workers: row.workers ?? [],
      stepCounts,
    });
  }
  return stats;
}
