import type { Cluster } from '../lib/cluster.js';
import { quantile } from '../lib/stats.js';

/**
 * From the submit (run written QUEUED, daemon woken) to its first step RUNNING, over `count` runs of
 * one step each, one after another. Returns p50/p99 in ms.
 */
export async function launchLatency(cluster: Cluster, selection: string, count: number): Promise<{ p50: number; p99: number }> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = Date.now();
    const run = await cluster.submit(selection);
    const ended = await cluster.untilEnded(run.id);
    if (ended.status !== 'SUCCESS') throw new Error(`launch-latency run ended ${ended.status}`);
    const started = (await cluster.instance.eventLog.listEvents(run.id, { types: ['STEP_STARTED'] }))[0]!;
    samples.push(started.at.getTime() - t0);
  }
  return { p50: quantile(samples, 0.5), p99: quantile(samples, 0.99) };
}
