import type { BackfillSummary } from '../execution/backfill-summary.js';
import type { AwaitedBackfill, BackfillRunEnded, RunService } from './run-service.js';

/** How often a backfill executed elsewhere is read. */
const POLL_MS = 500;
const ENDED = new Set(['done', 'failed', 'canceled']);

/** Each run of the backfill with its partitions and state (a run covers one partition or a range). */
function runStates(summary: BackfillSummary): Map<string, { partitions: string[]; state: string }> {
  const runs = new Map<string, { partitions: string[]; state: string }>();
  for (const p of summary.partitions) {
    if (!p.runId) continue;
    const run = runs.get(p.runId) ?? { partitions: [], state: p.state };
    run.partitions.push(p.key);
    runs.set(p.runId, run);
  }
  return runs;
}

/**
 * Follows a backfill that something else executes (a daemon, BullMQ workers): reports each run as
 * it ends, until none is queued or running. `signal` stops following; the backfill goes on.
 */
export async function followBackfill(
  service: Pick<RunService, 'backfill'>,
  id: string,
  options: { onRunEnded?: (ended: BackfillRunEnded) => void; signal?: AbortSignal } = {},
): Promise<AwaitedBackfill> {
  const reported = new Set<string>();
  for (;;) {
    const summary = await service.backfill(id);
    const runs = runStates(summary);
    const ended = [...runs.values()].filter((r) => ENDED.has(r.state));
    const notSuccessful = ended.filter((r) => r.state !== 'done').length;
    for (const [runId, run] of runs) {
      if (reported.has(runId) || !ENDED.has(run.state)) continue;
      reported.add(runId);
      options.onRunEnded?.({ runId, partitions: run.partitions, state: run.state as BackfillRunEnded['state'], endedRuns: ended.length, totalRuns: runs.size, notSuccessful });
    }
    if (summary.counts.queued + summary.counts.running === 0) return { summary };
    if (options.signal?.aborted) return { summary, interrupted: 'detached' };
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, POLL_MS);
      function done() {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', done);
        resolve();
      }
      options.signal?.addEventListener('abort', done, { once: true });
    });
  }
}
