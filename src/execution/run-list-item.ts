import type { RunRecord, RunStepStats, RunStorage } from '../storage/instance.js';
import { runHeader, type RunSummary } from './run-summary.js';

/**
 * A run as a runs list shows it: its header plus what its steps add up to (attempts, retries,
 * failures, workers, step counts), so a script reading `runs list --json` needs no second call.
 */
export interface RunListItem extends Omit<RunSummary, 'steps'>, RunStepStats {}

/** The headers of `runs` with their step statistics, read in one query for the whole page. */
export async function runListItems(runStorage: RunStorage, runs: readonly RunRecord[]): Promise<RunListItem[]> {
  const stats = await runStorage.runStepStats(runs.map((run) => run.id));
  return runs.map((run) => ({ ...runHeader(run), ...stats.get(run.id)! }));
}
