import { performance } from 'node:perf_hooks';
import { AssetGraph } from '../../src/core/graph/asset-graph.js';
import { defineAsset } from '../../src/core/asset/define-asset.js';
import { dailyPartitions } from '../../src/core/partitions/partitions-definition.js';
import { partitionKeys } from '../../src/core/partitions/partition-keys.js';
import { launchBackfill } from '../../src/execution/launch-backfill.js';
import { launchRun } from '../../src/execution/launch-run.js';
import type { Instance } from '../../src/storage/instance.js';

const NOW = new Date('2026-11-22T12:00:00Z');

/** A chain of `depth` daily-partitioned assets: raw -> a1 -> ... */
function partitionedChain(depth: number, start: string): AssetGraph {
  const partitions = dailyPartitions({ start });
  const assets = Array.from({ length: depth }, (_, i) =>
    defineAsset({ key: `p${i}`, deps: i === 0 ? [] : [`p${i - 1}`], partitions, materialize: () => {} }),
  );
  return AssetGraph.build(assets.map((definition) => ({ definition })));
}

/**
 * Time to launch a backfill of `count` daily partitions (one run each, `depth` steps per run):
 * launchBackfill writes the backfill and every run in one transaction. Baseline: the same runs
 * launched one launchRun call at a time (what a loop over `sluice materialize --partition` costs,
 * without the process start-ups), on the same store in the same run.
 */
export async function backfillLaunch(instance: Instance, count: number, depth: number): Promise<{ backfillMs: number; oneByOneMs: number }> {
  const start = '2020-01-01';
  const graph = partitionedChain(depth, start);
  const keys = partitionKeys(graph.get('p0').partitions!, NOW).slice(0, count);
  const t0 = performance.now();
  const backfill = await launchBackfill(
    { instance, graph },
    { selection: '*', from: keys[0]!, to: keys.at(-1)!, policy: { kind: 'per-partition' }, maxConcurrentRuns: 8, trigger: 'bench', now: NOW },
  );
  const backfillMs = performance.now() - t0;
  if (backfill.runCount !== count) throw new Error(`backfill wrote ${backfill.runCount} runs, expected ${count}`);
  const t1 = performance.now();
  for (const key of keys) await launchRun({ instance, graph }, { selection: '*', partition: key, trigger: 'bench', now: NOW });
  return { backfillMs, oneByOneMs: performance.now() - t1 };
}
