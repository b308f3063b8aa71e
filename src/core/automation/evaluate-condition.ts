import type { AssetKey } from '../asset/asset-key.js';
import { sameDefinition } from '../partitions/describe-partitions.js';
import { lastPartitionKey, partitionTimeWindow } from '../partitions/partition-keys.js';
import { upstreamPartitionKeys } from '../partitions/upstream-partition-keys.js';
import { defaultPartitionMapping } from '../partitions/partition-mapping.js';
import type { AutomationCondition } from './automation-condition.js';
import type { PartitionsDefinition } from '../partitions/partitions-definition.js';
import type { AssetCursor, AutomationAsset, AutomationCursor, AutomationSnapshot, EvaluationNode } from './automation-snapshot.js';
import type { EvaluationScope } from './evaluation-scope.js';
import { PartitionSet } from './partition-set.js';

/** Whether a tick of `cron` in `timezone` falls in (after, until]; given by the caller (croner lives outside core). */
export type CronTickBetween = (cron: string, timezone: string, after: Date, until: Date) => boolean;

/** Everything a node's evaluation reads and where stateful nodes write their new state. */
export interface ConditionContext {
  readonly assets: ReadonlyMap<AssetKey, AutomationAsset>;
  readonly snapshot: AutomationSnapshot;
  readonly previous: AutomationCursor | undefined;
  /** The automated asset whose condition this is. */
  readonly root: AutomationAsset;
  /** No previous evaluation of this condition on the root asset. */
  readonly initial: boolean;
  /** What this evaluation requests so far (assets earlier in topological order). */
  readonly requested: ReadonlyMap<AssetKey, PartitionSet>;
  readonly cronTickBetween: CronTickBetween;
  /** The root asset's stateful-node state at the previous evaluation (empty when its condition changed). */
  readonly previousNodes: Readonly<Record<string, readonly string[]>>;
  /** The root asset's new stateful-node state (written by since and newly_true). */
  readonly nodes: Record<string, readonly string[]>;
  /** Universes and snapshot facts, computed once per evaluation. */
  readonly scope: EvaluationScope;
}

export interface Evaluated {
  readonly trueSet: PartitionSet;
  readonly node: EvaluationNode;
}

/**
 * Evaluates `condition` on `asset` for the `candidates` partitions: the set where it is true (a
 * subset of the candidates) and the node for the tree. `and` narrows: each operand is evaluated
 * where the ones before it were true. `since` and `newly_true` evaluate their operands on every
 * partition of the asset, so their state follows every partition, and keep it in `ctx.nodes`.
 */
export function evaluateCondition(
  condition: AutomationCondition,
  asset: AutomationAsset,
  check: string | undefined,
  candidates: PartitionSet,
  id: string,
  ctx: ConditionContext,
): Evaluated {
  const children: EvaluationNode[] = [];
  const universe = ctx.scope.universeOf(asset);
  const none = universe.empty;
  const prevAsset: AssetCursor | undefined = ctx.previous?.assets[asset.key];
  const snapshot = ctx.snapshot;
  let trueSet: PartitionSet;
  switch (condition.kind) {
    case 'missing':
      trueSet = candidates.minus(ctx.scope.factsOf(asset).materialized);
      break;
    case 'in_progress':
      trueSet = candidates.and(ctx.scope.factsOf(asset).inProgress);
      break;
    case 'execution_failed':
      trueSet = candidates.and(ctx.scope.factsOf(asset).failed);
      break;
    case 'newly_updated':
      trueSet = candidates.and(ctx.scope.factsOf(asset).newlyUpdated);
      break;
    case 'newly_requested':
      trueSet = prevAsset && prevAsset.requested.length > 0 ? candidates.and(PartitionSet.of(universe, prevAsset.requested)) : none;
      break;
    case 'code_version_changed':
      trueSet = prevAsset && prevAsset.codeVersion !== (asset.codeVersion ?? null) ? candidates : none;
      break;
    case 'initial_evaluation':
      trueSet = ctx.initial ? candidates : none;
      break;
    case 'will_be_requested': {
      const requested = ctx.requested.get(asset.key);
      // Only a request that can run in the same run counts: the same partitions, or both unpartitioned.
      const together = requested !== undefined && asset.key !== ctx.root.key && samePartitioning(asset, ctx.root);
      trueSet = together ? candidates.and(requested) : none;
      break;
    }
    case 'cron_tick_passed': {
      const after = ctx.previous ? new Date(ctx.previous.evaluatedAt) : undefined;
      const passed = after !== undefined && ctx.cronTickBetween(condition.cron, condition.timezone, after, snapshot.now);
      trueSet = passed ? candidates : none;
      break;
    }
    case 'in_latest_time_window': {
      const def = asset.partitions;
      if (!def || def.kind === 'static') trueSet = candidates;
      else if (!condition.lookbackMs) {
        const last = lastPartitionKey(def, snapshot.now);
        trueSet = last !== undefined && candidates.has(last) ? PartitionSet.of(universe, [last]) : none;
      } else trueSet = candidates.filter((k) => inLookback(def, k, condition.lookbackMs!, snapshot.now));
      break;
    }
    case 'check_passed':
    case 'check_failed': {
      const name = condition.check ?? check;
      const results = name === undefined ? undefined : snapshot.checks.get(asset.key)?.get(name);
      const wanted = condition.kind === 'check_passed';
      trueSet = !results
        ? none
        : candidates.filter((k) => {
            const passed = results.get(k) ?? results.get('');
            return passed !== undefined && passed === wanted;
          });
      break;
    }
    case 'and': {
      let on = candidates;
      condition.operands.forEach((c, i) => {
        on = evaluateChild(c, asset, check, on, `${id}.${i}`, ctx, children);
      });
      trueSet = on;
      break;
    }
    case 'or': {
      let out = none;
      condition.operands.forEach((c, i) => {
        out = out.or(evaluateChild(c, asset, check, candidates, `${id}.${i}`, ctx, children));
      });
      trueSet = out;
      break;
    }
    case 'not':
      trueSet = candidates.minus(evaluateChild(condition.operand, asset, check, candidates, `${id}.0`, ctx, children));
      break;
    case 'newly_true': {
      const now = evaluateChild(condition.operand, asset, check, universe.full, `${id}.0`, ctx, children);
      const before = PartitionSet.parse(universe, ctx.previousNodes[id]);
      ctx.nodes[id] = now.compact();
      trueSet = candidates.and(now).minus(before);
      break;
    }
    case 'since': {
      const trigger = evaluateChild(condition.trigger, asset, check, universe.full, `${id}.0`, ctx, children);
      const reset = evaluateChild(condition.reset, asset, check, universe.full, `${id}.1`, ctx, children);
      const state = PartitionSet.parse(universe, ctx.previousNodes[id]).or(trigger).minus(reset);
      ctx.nodes[id] = state.compact();
      trueSet = candidates.and(state);
      break;
    }
    case 'any_deps_match':
    case 'all_deps_match':
      trueSet = depsMatch(condition.kind === 'any_deps_match', condition.operand, asset, candidates, id, ctx, children);
      break;
    case 'any_checks_match':
    case 'all_checks_match': {
      const any = condition.kind === 'any_checks_match';
      let out = any ? none : candidates;
      for (const name of asset.checks) {
        const hit = evaluateChild(condition.operand, asset, name, candidates, `${id}.{${name}}`, ctx, children);
        out = any ? out.or(hit) : out.and(hit);
      }
      trueSet = out;
      break;
    }
  }
  return {
    trueSet,
    node: {
      id,
      label: condition.label,
      kind: condition.kind,
      asset: asset.key,
      ...(check === undefined ? {} : { check }),
      candidates: candidates.compact(),
      candidateCount: candidates.size,
      trueKeys: trueSet.compact(),
      trueCount: trueSet.size,
      children,
    },
  };
}

/** Evaluates a child node and adds it to `children`; returns where it is true. */
function evaluateChild(condition: AutomationCondition, asset: AutomationAsset, check: string | undefined, candidates: PartitionSet, id: string, ctx: ConditionContext, children: EvaluationNode[]): PartitionSet {
  const { trueSet, node } = evaluateCondition(condition, asset, check, candidates, id, ctx);
  children.push(node);
  return trueSet;
}

/**
 * any/all_deps_match: the operand is evaluated on each dep for the dep partitions the candidates
 * depend on (through the dep's partition mapping). A candidate that depends on no partition of a
 * dep is not held back by it (all), nor let through by it (any).
 */
function depsMatch(any: boolean, operand: AutomationCondition, asset: AutomationAsset, candidates: PartitionSet, id: string, ctx: ConditionContext, children: EvaluationNode[]): PartitionSet {
  const universe = ctx.scope.universeOf(asset);
  let out = any ? universe.empty : candidates;
  const now = ctx.snapshot.now;
  for (const depKey of asset.deps) {
    const dep = ctx.assets.get(depKey);
    if (!dep) continue;
    const depUniverse = ctx.scope.universeOf(dep);
    const mapping = asset.partitionMappings[depKey] ?? defaultPartitionMapping(asset.partitions, dep.partitions);
    // Identity between the same partitions (the default): the same keys, set against set.
    if (mapping.kind === 'identity' && asset.partitions && depUniverse === universe && !candidates.hasExtra()) {
      const hit = candidates.and(evaluateChild(operand, dep, undefined, candidates, `${id}.[${depKey}]`, ctx, children));
      out = any ? out.or(hit) : out.and(hit);
      continue;
    }
    const upstream = new Map<string, readonly string[]>();
    const needed = new Set<string>();
    // Unpartitioned (or all-partitions) children read the same dep keys for every candidate.
    let whole: readonly string[] | undefined;
    for (const key of candidates.keys()) {
      let keys: readonly string[];
      if (mapping.kind === 'identity' && asset.partitions) keys = depUniverse.index.has(key) ? [key] : [];
      else if (mapping.kind === 'all' || !asset.partitions || key === '') keys = whole ??= upstreamPartitionKeys(mapping, asset.partitions, key === '' ? undefined : key, dep.partitions, now);
      else keys = upstreamPartitionKeys(mapping, asset.partitions, key, dep.partitions, now);
      upstream.set(key, keys);
      keys.forEach((k) => needed.add(k));
    }
    const depTrue = evaluateChild(operand, dep, undefined, PartitionSet.of(depUniverse, needed), `${id}.[${depKey}]`, ctx, children);
    const wholeHit = whole?.some((k) => depTrue.has(k));
    const hit = candidates.filter((key) => {
      const keys = upstream.get(key)!;
      return keys === whole ? wholeHit! : keys.some((k) => depTrue.has(k));
    });
    // all: a candidate that depends on no partition of the dep stays.
    out = any ? out.or(hit) : out.minus(candidates.filter((key) => upstream.get(key)!.length > 0 && !hit.has(key)));
  }
  return out;
}

function samePartitioning(a: AutomationAsset, b: AutomationAsset): boolean {
  if (!a.partitions || !b.partitions) return !a.partitions && !b.partitions;
  return sameDefinition(a.partitions, b.partitions);
}

function inLookback(def: PartitionsDefinition, key: string, lookbackMs: number, now: Date): boolean {
  return partitionTimeWindow(def, key).end.getTime() > now.getTime() - lookbackMs;
}
