import { parsePartitionRange } from '../core/partitions/partition-range.js';
import type { RunStatus } from '../core/run/run-status.js';
import type { BackfillRecord, BackfillRunRecord } from '../storage/instance.js';

/** Where one partition of a backfill stands, from the run that covers it. */
export type BackfillPartitionState = 'done' | 'failed' | 'running' | 'queued' | 'canceled';

export interface BackfillProgress {
  readonly counts: Readonly<Record<BackfillPartitionState, number>>;
  /** Each targeted partition, in order, with its state and run. */
  readonly partitions: ReadonlyArray<{ readonly key: string; readonly state: BackfillPartitionState; readonly runId: string | null }>;
  /** Each of its runs once, in the order of the partitions they cover, with the partition (a key, or `FROM...TO`) and its state. */
  readonly runs: ReadonlyArray<{ readonly runId: string; readonly partition: string | null; readonly state: BackfillPartitionState }>;
}

const STATE_OF: Readonly<Record<RunStatus, BackfillPartitionState>> = {
  QUEUED: 'queued',
  STARTED: 'running',
  CANCELING: 'running',
  SUCCESS: 'done',
  FAILURE: 'failed',
  CANCELED: 'canceled',
};

/**
 * Per-partition progress of a backfill from its runs: each run covers its partition, or every
 * targeted key from its range's start to its end (chunks never span a gap of the targeted keys).
 * A partition no run covers (cannot happen for a stored backfill) counts as queued.
 */
export function backfillProgress(backfill: Pick<BackfillRecord, 'partitions'>, runs: readonly BackfillRunRecord[]): BackfillProgress {
  const index = new Map(backfill.partitions.map((key, i) => [key, i]));
  const coveredBy: (BackfillRunRecord | undefined)[] = new Array(backfill.partitions.length);
  for (const run of runs) {
    if (run.partition === null) continue;
    const range = parsePartitionRange(run.partition) ?? { from: run.partition, to: run.partition };
    const [from, to] = [index.get(range.from), index.get(range.to)];
    if (from === undefined || to === undefined) continue;
    for (let i = from; i <= to; i++) coveredBy[i] = run;
  }
  const counts: Record<BackfillPartitionState, number> = { done: 0, failed: 0, running: 0, queued: 0, canceled: 0 };
  const partitions = backfill.partitions.map((key, i) => {
    const run = coveredBy[i];
    const state = run ? STATE_OF[run.status] : 'queued';
    counts[state]++;
    return { key, state, runId: run?.runId ?? null };
  });
  const ordered = [...new Set(coveredBy.filter((run) => run !== undefined))];
  return { counts, partitions, runs: ordered.map((run) => ({ runId: run.runId, partition: run.partition, state: STATE_OF[run.status] })) };
}
