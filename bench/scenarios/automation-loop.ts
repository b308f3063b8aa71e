import { defineAsset } from '../../src/core/asset/define-asset.js';
import { eager } from '../../src/core/automation/built-conditions.js';
import { AssetGraph } from '../../src/core/graph/asset-graph.js';
import { partitionKeys } from '../../src/core/partitions/partition-keys.js';
import { dailyPartitions } from '../../src/core/partitions/partitions-definition.js';
import { AutomationLoop, type AutomationTickStats } from '../../src/daemon/automation-loop.js';
import { reportAssetMaterialization } from '../../src/execution/report-asset-event.js';
import { openInstance } from '../../src/storage/index.js';
import { DATABASE_URL, dropSchema, freshName, withPg } from '../lib/bench-env.js';

export interface AutomationLoopFigures {
  /** Rows of asset_partitions seeded (every partition of every asset materialized). */
  readonly seeded: number;
  /** The first tick: the state loaded from storage and every asset evaluated (initial). */
  readonly first: AutomationTickStats;
  /** The next tick, nothing changed: every asset evaluated again (nothing had settled yet). */
  readonly full: AutomationTickStats;
  /** The tick after 100 upstream materializations (reported as external events). */
  readonly incremental: AutomationTickStats;
}

/**
 * The daemon's automation loop on Postgres (a fresh schema) with the pure evaluator's bench graph:
 * `total` assets in chains of 10, a fifth daily-partitioned over two years, eager() but on the
 * chains' roots, every partition materialized. Ticks timed by the loop: the first (load + initial
 * evaluation + save), a second with every asset evaluated, and the first after 100 chain roots'
 * latest partitions are reported materialized that reads them (incrementally, settled assets
 * carried over, the chains launched as one run, the changed trees saved).
 */
export async function automationLoopFigures(total: number): Promise<AutomationLoopFigures> {
  const now = new Date();
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 731 * 86_400_000).toISOString().slice(0, 10);
  const daily = dailyPartitions({ start });
  const keys = partitionKeys(daily, now);
  const partitioned = Math.round(total / 5);
  const graph = AssetGraph.build(
    Array.from({ length: total }, (_, i) => ({
      definition: defineAsset({
        key: `a${i}`,
        deps: i % 10 === 0 ? [] : [`a${i - 1}`],
        ...(i < partitioned ? { partitions: daily } : {}),
        ...(i % 10 === 0 ? {} : { automation: eager() }),
        materialize: () => {},
      }),
    })),
    [],
  );
  const schema = freshName('bench_automation');
  const instance = await openInstance({ kind: 'postgres', connectionString: DATABASE_URL, schema });
  const stats: AutomationTickStats[] = [];
  let loop: AutomationLoop | undefined;
  try {
    const old = new Date(now.getTime() - 86_400_000);
    const seeded = await withPg(async (c) => {
      const table = `"${schema}".asset_partitions`;
      const columns = '(asset_key, partition_key, status, run_id, step_key, materialized_at, updated_at)';
      const a = await c.query(
        `insert into ${table} ${columns} select 'a' || i, k, 'MATERIALIZED', 'seed', 'a' || i, $1, $1 from generate_series(0, $2::int - 1) i, unnest($3::text[]) k`,
        [old, partitioned, keys],
      );
      const b = await c.query(`insert into ${table} ${columns} select 'a' || i, '', 'MATERIALIZED', 'seed', 'a' || i, $1, $1 from generate_series($2::int, $3::int - 1) i`, [old, partitioned, total]);
      return (a.rowCount ?? 0) + (b.rowCount ?? 0);
    });
    await instance.automation.setStatus('RUNNING', now);
    const ticks = async (n: number) => {
      const deadline = Date.now() + 120_000;
      while (stats.length < n) {
        if (Date.now() > deadline) throw new Error(`automation bench: tick ${n} did not end in 120 s (${JSON.stringify(loop?.errors)})`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    loop = new AutomationLoop({ instance, graph, holder: 'bench', now: () => new Date(), intervalMs: 3_600_000, onEvaluated: (s) => stats.push(s) });
    loop.start();
    await ticks(1);
    loop.wake();
    await ticks(2);
    for (let i = 0; i < 100; i++) {
      const root = `a${(i * 10) % total}`;
      await reportAssetMaterialization({ instance, graph }, { assetKey: root, ...(graph.get(root).partitions ? { partition: keys.at(-1)! } : {}), source: 'bench', now: new Date() });
    }
    // The tracker reads only ids final on the server (other sessions' transactions in flight hold
    // them back a moment): the tick measured is the first that read the reported materializations.
    for (let n = 3; ; n++) {
      loop.wake();
      await ticks(n);
      if (stats[n - 1]!.evaluated > 0) return { seeded, first: stats[0]!, full: stats[1]!, incremental: stats[n - 1]! };
      if (n > 1000) throw new Error('automation bench: the reported materializations were never read');
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await loop?.stop();
    await instance.close();
    await dropSchema(schema);
  }
}
