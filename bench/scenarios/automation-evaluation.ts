import { isDeepStrictEqual } from 'node:util';
import type { AutomationAsset, PartitionState } from '../../src/core/automation/automation-snapshot.js';
import { eager } from '../../src/core/automation/built-conditions.js';
import { evaluateAutomation, type AutomationEvaluation } from '../../src/core/automation/evaluate-automation.js';
import { dailyPartitions } from '../../src/core/partitions/partitions-definition.js';
import { partitionKeys } from '../../src/core/partitions/partition-keys.js';
import { cronTickBetween } from '../../src/daemon/automation-pass.js';
import { quantile } from '../lib/stats.js';

export interface AutomationEvaluationFigures {
  readonly assets: number;
  readonly partitioned: number;
  readonly partitions: number;
  readonly automated: number;
  /** The first evaluation (no cursor). */
  readonly initialMs: number;
  /** After 100 new upstream materializations: the evaluation carrying over the assets nothing changed for. */
  readonly incrementalMs: number;
  /** The same evaluation with every automated asset evaluated again. */
  readonly fullMs: number;
  readonly evaluated: number;
  readonly requested: number;
  readonly treeBytes: number;
  readonly cursorBytes: number;
}

/**
 * The pure automation evaluator on `total` assets in chains of 10, a fifth of them daily-partitioned
 * over two years, eager() on every asset but the chains' roots, everything materialized: a first
 * evaluation, a second one (nothing changed: every asset settles), then 100 new materializations of
 * chain roots (their latest partition) and the next evaluation, timed incrementally (carrying over
 * what nothing changed for) and in full, on the same inputs, `rounds` times each (medians). Throws
 * when the two disagree.
 */
export function automationEvaluation(total: number, rounds = 3): AutomationEvaluationFigures {
  const partitionedCount = Math.round(total / 5);
  const now = new Date('2030-01-01T12:00:00Z');
  const daily = dailyPartitions({ start: '2028-01-01' });
  const keys = partitionKeys(daily, now);
  const condition = eager();
  const assets: AutomationAsset[] = [];
  for (let i = 0; i < total; i++) {
    const deps = i % 10 === 0 ? [] : [`a${i - 1}`];
    assets.push({ key: `a${i}`, deps, partitions: i < partitionedCount ? daily : undefined, partitionMappings: {}, codeVersion: undefined, checks: [], automation: i % 10 === 0 ? undefined : condition });
  }
  let id = 0;
  const partitions = new Map<string, Map<string, PartitionState>>();
  for (const a of assets) partitions.set(a.key, new Map((a.partitions ? keys : ['']).map((k) => [k, { status: 'MATERIALIZED', materialized: true, lastMaterializationId: ++id }])));
  const snapshot = (at: Date) => ({ now: at, partitions, inProgress: new Map(), checks: new Map(), lastEventId: id });
  const at = (s: number) => new Date(now.getTime() + s * 1000);

  let started = performance.now();
  const first = evaluateAutomation({ assets, snapshot: snapshot(now), previous: undefined, cronTickBetween });
  const initialMs = performance.now() - started;
  const steady = evaluateAutomation({ assets, snapshot: snapshot(at(30)), previous: first.cursor, cronTickBetween, prior: { evaluation: first, changed: new Set() } });
  const changed = new Set<string>();
  for (let i = 0; i < 100; i++) {
    const root = assets[(i * 10) % total]!;
    partitions.get(root.key)!.set(root.partitions ? keys.at(-1)! : '', { status: 'MATERIALIZED', materialized: true, lastMaterializationId: ++id });
    changed.add(root.key);
  }
  const input = { assets, snapshot: snapshot(at(60)), previous: steady.cursor, cronTickBetween };
  // Alternately, `rounds` times each (the machine is shared: the medians are reported).
  const incrementalSamples: number[] = [];
  const fullSamples: number[] = [];
  let incremental: AutomationEvaluation | undefined;
  let full: AutomationEvaluation | undefined;
  for (let round = 0; round < rounds; round++) {
    started = performance.now();
    incremental = evaluateAutomation({ ...input, prior: { evaluation: steady, changed } });
    incrementalSamples.push(performance.now() - started);
    started = performance.now();
    full = evaluateAutomation(input);
    fullSamples.push(performance.now() - started);
  }
  assertSame(incremental!, full!);
  const incrementalMs = quantile(incrementalSamples, 0.5);
  const fullMs = quantile(fullSamples, 0.5);
  return {
    assets: total,
    partitioned: partitionedCount,
    partitions: keys.length,
    automated: assets.filter((a) => a.automation).length,
    initialMs,
    incrementalMs,
    fullMs,
    evaluated: incremental!.assets.filter((a) => !a.carried).length,
    requested: [...incremental!.requested.values()].reduce((n, p) => n + p.length, 0),
    treeBytes: full!.assets.reduce((n, a) => n + JSON.stringify(a.tree).length, 0),
    cursorBytes: JSON.stringify(full!.cursor).length,
  };
}

/** The incremental evaluation must request, show and leave exactly what the full one does. */
function assertSame(incremental: AutomationEvaluation, full: AutomationEvaluation): void {
  const view = (e: AutomationEvaluation) => ({ requested: [...e.requested], trees: e.assets.map((a) => [a.asset, a.requested, a.tree, a.error]), cursor: e.cursor });
  if (!isDeepStrictEqual(view(incremental), view(full))) throw new Error('automation bench: the incremental evaluation differs from the full one');
}
