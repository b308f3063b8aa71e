import type { RunRecord, RunStorage } from '../../src/storage/instance.js';
import { gaps, quantile } from '../lib/stats.js';

/** Per-step gaps of a chain run (consecutive step ends) and its throughput. */
export async function chainFigures(runs: RunStorage, run: RunRecord): Promise<{ p50: number; p99: number; stepsPerSecond: number }> {
  if (run.status !== 'SUCCESS') throw new Error(`bench run ${run.id} ended ${run.status}: ${run.error?.message ?? ''}`);
  const steps = await runs.listSteps(run.id);
  const g = gaps(steps.map((s) => s.endedAt!.getTime()));
  const elapsed = run.endedAt!.getTime() - run.startedAt!.getTime();
  return { p50: quantile(g, 0.5), p99: quantile(g, 0.99), stepsPerSecond: steps.length / (elapsed / 1000) };
}

/** Steps per second of a run, from its start to its end. */
export async function runThroughput(runs: RunStorage, run: RunRecord): Promise<number> {
  if (run.status !== 'SUCCESS') throw new Error(`bench run ${run.id} ended ${run.status}: ${run.error?.message ?? ''}`);
  const steps = (await runs.listSteps(run.id)).length;
  return steps / ((run.endedAt!.getTime() - run.startedAt!.getTime()) / 1000);
}
