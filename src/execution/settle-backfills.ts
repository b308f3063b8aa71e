import type { BackfillStatus, BackfillStorage } from '../storage/instance.js';

const ACTIVE = new Set(['QUEUED', 'STARTED', 'CANCELING']);

/**
 * Cancels a backfill: CANCELING, then every run of it not yet ended is canceled through
 * `cancelRun` (queued runs never start; running ones stop like `sluice runs cancel`). The backfill
 * ends CANCELED once none of its runs is active (here, or at a later settleBackfills pass).
 */
export async function cancelBackfill(
  backfills: BackfillStorage,
  id: string,
  cancelRun: (runId: string) => Promise<unknown>,
  now: () => Date,
): Promise<BackfillStatus | undefined> {
  await backfills.requestBackfillCancel(id, now());
  const backfill = await backfills.getBackfill(id);
  if (!backfill || backfill.status !== 'CANCELING') return backfill?.status;
  await cancelActiveRuns(backfills, id, cancelRun);
  return backfills.finishBackfillIfDone(id, now());
}

async function cancelActiveRuns(backfills: BackfillStorage, id: string, cancelRun: (runId: string) => Promise<unknown>): Promise<void> {
  for (const run of await backfills.listBackfillRuns(id)) {
    if (!ACTIVE.has(run.status)) continue;
    try {
      await cancelRun(run.runId);
    } catch {
      // It ended in between (RUN_ALREADY_ENDED): nothing to cancel.
    }
  }
}

/**
 * One pass over unfinished backfills (the daemon's monitor loop): a CANCELING backfill has its
 * remaining runs canceled (a cancel requested while no daemon ran); each ends COMPLETED, FAILED or
 * CANCELED once none of its runs is active. Idempotent; any number of daemons may run it.
 */
export async function settleBackfills(backfills: BackfillStorage, cancelRun: (runId: string) => Promise<unknown>, now: () => Date): Promise<number> {
  let ended = 0;
  for (const backfill of await backfills.listBackfills({ statuses: ['RUNNING', 'CANCELING'] })) {
    if (backfill.status === 'CANCELING') await cancelActiveRuns(backfills, backfill.id, cancelRun);
    const status = await backfills.finishBackfillIfDone(backfill.id, now());
    if (status !== 'RUNNING' && status !== 'CANCELING') ended++;
  }
  return ended;
}
