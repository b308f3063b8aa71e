import { SluiceError } from '../core/errors.js';
import type { BackfillRecord, BackfillStatus, BackfillStorage } from '../storage/instance.js';
import { backfillProgress, type BackfillPartitionState, type BackfillProgress } from './backfill-progress.js';
import { formatBackfillPolicy } from '../storage/format-backfill-policy.js';

/** A backfill as the CLI and the API list it: the record and its counts. */
export interface BackfillListItem {
  readonly backfillId: string;
  readonly status: BackfillStatus;
  readonly selection: string;
  readonly from: string;
  readonly to: string;
  /** `per-partition`, `single-run` or `chunks:N`, as the flag takes it. */
  readonly policy: string;
  readonly maxConcurrentRuns: number | null;
  readonly trigger: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly partitionCount: number;
  readonly runCount: number;
  readonly createdAt: string;
  readonly endedAt: string | null;
  readonly counts: Readonly<Record<BackfillPartitionState, number>>;
}

/** One backfill with where each of its partitions stands. */
export interface BackfillSummary extends BackfillListItem {
  readonly partitions: BackfillProgress['partitions'];
  readonly runs: BackfillProgress['runs'];
}

export class UnknownBackfillError extends SluiceError {
  constructor(id: string) {
    super('UNKNOWN_BACKFILL', `no backfill "${id}"; run \`sluice backfill list\` to see what exists`, { backfillId: id });
  }
}

async function itemOf(backfills: BackfillStorage, record: BackfillRecord): Promise<BackfillSummary> {
  const progress = backfillProgress(record, await backfills.listBackfillRuns(record.id));
  return {
    backfillId: record.id,
    status: record.status,
    selection: record.selection,
    from: record.from,
    to: record.to,
    policy: formatBackfillPolicy(record.policy),
    maxConcurrentRuns: record.maxConcurrentRuns,
    trigger: record.trigger,
    tags: record.tags,
    partitionCount: record.partitions.length,
    runCount: record.runCount,
    createdAt: record.createdAt.toISOString(),
    endedAt: record.endedAt?.toISOString() ?? null,
    counts: progress.counts,
    partitions: progress.partitions,
    runs: progress.runs,
  };
}

/** The backfill with its per-partition progress; throws UnknownBackfillError. A backfill whose runs all ended is settled first. */
export async function describeBackfill(backfills: BackfillStorage, id: string, now: () => Date = () => new Date()): Promise<BackfillSummary> {
  const record = await backfills.getBackfill(id);
  if (!record) throw new UnknownBackfillError(id);
  const summary = await itemOf(backfills, record);
  // Its runs have all ended but no daemon pass has settled it yet: settle it now (the same guarded,
  // idempotent update the daemon makes), so whoever followed it to the end reads its final status.
  const unfinished = record.status === 'RUNNING' || record.status === 'CANCELING';
  if (unfinished && summary.counts.queued + summary.counts.running === 0) {
    await backfills.finishBackfillIfDone(id, now());
    const settled = await backfills.getBackfill(id);
    if (settled) return { ...summary, status: settled.status, endedAt: settled.endedAt?.toISOString() ?? null };
  }
  return summary;
}

/** Backfills newest first, each with its counts (one query of its runs per backfill listed). */
export async function listBackfillItems(backfills: BackfillStorage, options: { limit: number; statuses?: readonly BackfillStatus[] }): Promise<BackfillListItem[]> {
  const records = await backfills.listBackfills(options);
  return Promise.all(
    records.map(async (record) => {
      const { partitions: _partitions, runs: _runs, ...item } = await itemOf(backfills, record);
      return item;
    }),
  );
}
