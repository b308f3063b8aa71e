import type { AssetKey } from '../asset/asset-key.js';
import { sameDefinition } from '../partitions/describe-partitions.js';
import { lastPartitionKey, partitionKeys, partitionTimeWindow } from '../partitions/partition-keys.js';
import { upstreamPartitionKeys } from '../partitions/upstream-partition-keys.js';
import { defaultPartitionMapping } from '../partitions/partition-mapping.js';
import type { AutomationCondition } from './automation-condition.js';
import { compactKeys, fullSet, keySetHas } from './key-set.js';
import type { AssetCursor, AutomationAsset, AutomationCursor, AutomationSnapshot, EvaluationNode } from './automation-snapshot.js';

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
  readonly requested: ReadonlyMap<AssetKey, ReadonlySet<string>>;
  readonly cronTickBetween: CronTickBetween;
  /** The root asset's stateful-node state at the previous evaluation (empty when its condition changed). */
  readonly previousNodes: Readonly<Record<string, readonly string[]>>;
  /** The root asset's new stateful-node state (written by since and newly_true). */
  readonly nodes: Record<string, readonly string[]>;
  /** Every partition key of an asset at `now` ('' when unpartitioned); memoized by the caller. */
  readonly keysOf: (asset: AutomationAsset) => readonly string[];
}

export interface Evaluated {
  readonly trueSet: ReadonlySet<string>;
  readonly node: EvaluationNode;
}

const EMPTY: ReadonlySet<string> = new Set();

/** The partition keys of an asset at `now`, oldest first; [''] when unpartitioned. */
export function assetPartitionKeys(asset: AutomationAsset, now: Date): readonly string[] {
  return asset.partitions ? partitionKeys(asset.partitions, now) : [''];
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
  candidates: ReadonlySet<string>,
  id: string,
  ctx: ConditionContext,
): Evaluated {
  const children: EvaluationNode[] = [];
  const child = (c: AutomationCondition, i: number | string, on: ReadonlySet<string>, a = asset, chk = check): ReadonlySet<string> => {
    const result = evaluateCondition(c, a, chk, on, `${id}.${i}`, ctx);
    children.push(result.node);
    return result.trueSet;
  };
  const where = (test: (key: string) => boolean): Set<string> => new Set([...candidates].filter(test));
  const prevAsset: AssetCursor | undefined = ctx.previous?.assets[asset.key];
  const snapshot = ctx.snapshot;
  let trueSet: ReadonlySet<string>;
  switch (condition.kind) {
    case 'missing': {
      const states = snapshot.partitions.get(asset.key);
      trueSet = where((k) => !states?.get(k)?.materialized);
      break;
    }
    case 'in_progress': {
      const running = snapshot.inProgress.get(asset.key) ?? EMPTY;
      trueSet = where((k) => running.has(k));
      break;
    }
    case 'execution_failed': {
      const states = snapshot.partitions.get(asset.key);
      trueSet = where((k) => states?.get(k)?.status === 'FAILED');
      break;
    }
    case 'newly_updated': {
      const states = snapshot.partitions.get(asset.key);
      const after = ctx.previous?.lastEventId;
      trueSet = after === undefined ? new Set() : where((k) => (states?.get(k)?.lastMaterializationId ?? 0) > after);
      break;
    }
    case 'newly_requested': {
      const before = new Set(prevAsset?.requested ?? []);
      trueSet = where((k) => before.has(k));
      break;
    }
    case 'code_version_changed':
      trueSet = prevAsset && prevAsset.codeVersion !== (asset.codeVersion ?? null) ? candidates : new Set();
      break;
    case 'initial_evaluation':
      trueSet = ctx.initial ? candidates : new Set();
      break;
    case 'will_be_requested': {
      const requested = ctx.requested.get(asset.key) ?? EMPTY;
      // Only a request that can run in the same run counts: the same partitions, or both unpartitioned.
      const together = asset.key !== ctx.root.key && samePartitioning(asset, ctx.root);
      trueSet = together ? where((k) => requested.has(k)) : new Set();
      break;
    }
    case 'cron_tick_passed': {
      const after = ctx.previous ? new Date(ctx.previous.evaluatedAt) : undefined;
      const passed = after !== undefined && ctx.cronTickBetween(condition.cron, condition.timezone, after, snapshot.now);
      trueSet = passed ? candidates : new Set();
      break;
    }
    case 'in_latest_time_window':
      trueSet = where((k) => inLatestWindow(asset, k, condition.lookbackMs, snapshot.now));
      break;
    case 'check_passed':
    case 'check_failed': {
      const name = condition.check ?? check;
      const results = name === undefined ? undefined : snapshot.checks.get(asset.key)?.get(name);
      const wanted = condition.kind === 'check_passed';
      trueSet = where((k) => {
        const passed = results?.get(k) ?? results?.get('');
        return passed !== undefined && passed === wanted;
      });
      break;
    }
    case 'and': {
      let on: ReadonlySet<string> = candidates;
      condition.operands.forEach((c, i) => {
        on = child(c, i, on);
      });
      trueSet = on;
      break;
    }
    case 'or': {
      const out = new Set<string>();
      condition.operands.forEach((c, i) => child(c, i, candidates).forEach((k) => out.add(k)));
      trueSet = out;
      break;
    }
    case 'not': {
      const inner = child(condition.operand, 0, candidates);
      trueSet = where((k) => !inner.has(k));
      break;
    }
    case 'newly_true': {
      const all = fullSet(ctx.keysOf(asset));
      const now = child(condition.operand, 0, all);
      const before = expand(ctx.previousNodes[id], ctx.keysOf(asset));
      ctx.nodes[id] = compactKeys(ctx.keysOf(asset), now, asset.partitions?.kind === 'time-window');
      trueSet = where((k) => now.has(k) && !before.has(k));
      break;
    }
    case 'since': {
      const all = fullSet(ctx.keysOf(asset));
      const trigger = child(condition.trigger, 0, all);
      const reset = child(condition.reset, 1, all);
      const state = expand(ctx.previousNodes[id], ctx.keysOf(asset));
      trigger.forEach((k) => state.add(k));
      reset.forEach((k) => state.delete(k));
      ctx.nodes[id] = compactKeys(ctx.keysOf(asset), state, asset.partitions?.kind === 'time-window');
      trueSet = where((k) => state.has(k));
      break;
    }
    case 'any_deps_match':
    case 'all_deps_match': {
      const any = condition.kind === 'any_deps_match';
      const out = any ? new Set<string>() : new Set(candidates);
      for (const depKey of asset.deps) {
        const dep = ctx.assets.get(depKey);
        if (!dep) continue;
        const upstream = new Map<string, readonly string[]>();
        const needed = new Set<string>();
        const mapping = asset.partitionMappings[depKey] ?? defaultPartitionMapping(asset.partitions, dep.partitions);
        // Identity (the default between two partitioned assets): the same key, when the dep has it.
        const depKeys = mapping.kind === 'identity' && asset.partitions ? fullSet(ctx.keysOf(dep)) : undefined;
        // Unpartitioned (or all-partitions) children read the same dep keys for every candidate.
        let whole: readonly string[] | undefined;
        for (const key of candidates) {
          let keys: readonly string[];
          if (depKeys) keys = depKeys.has(key) ? [key] : [];
          else if (mapping.kind === 'all' || !asset.partitions || key === '') keys = whole ??= upstreamPartitionKeys(mapping, asset.partitions, key === '' ? undefined : key, dep.partitions, snapshot.now);
          else keys = upstreamPartitionKeys(mapping, asset.partitions, key, dep.partitions, snapshot.now);
          upstream.set(key, keys);
          keys.forEach((k) => needed.add(k));
        }
        const depTrue = child(condition.operand, `[${depKey}]`, needed, dep, undefined);
        for (const key of candidates) {
          const keys = upstream.get(key)!;
          const hit = keys.some((k) => depTrue.has(k));
          if (any && hit) out.add(key);
          // A downstream partition that depends on no partition of this dep is not held back by it.
          if (!any && !hit && keys.length > 0) out.delete(key);
        }
      }
      trueSet = out;
      break;
    }
    case 'any_checks_match':
    case 'all_checks_match': {
      const any = condition.kind === 'any_checks_match';
      const out = any ? new Set<string>() : new Set(candidates);
      for (const name of asset.checks) {
        const hit = child(condition.operand, `{${name}}`, candidates, asset, name);
        for (const key of candidates) {
          if (any && hit.has(key)) out.add(key);
          if (!any && !hit.has(key)) out.delete(key);
        }
      }
      trueSet = out;
      break;
    }
  }
  const order = ctx.keysOf(asset);
  const timeWindow = asset.partitions?.kind === 'time-window';
  return {
    trueSet,
    node: {
      id,
      label: condition.label,
      kind: condition.kind,
      asset: asset.key,
      ...(check === undefined ? {} : { check }),
      candidates: compactKeys(order, candidates, timeWindow),
      candidateCount: candidates.size,
      trueKeys: compactKeys(order, trueSet, timeWindow),
      trueCount: trueSet.size,
      children,
    },
  };
}

/** A stored key set (compactKeys) back as a set, over the asset's keys at `now` (plus any listed one by one). */
function expand(stored: readonly string[] | undefined, order: readonly string[]): Set<string> {
  if (!stored || stored.length === 0) return new Set();
  if (!stored.some((k) => k.includes('...'))) return new Set(stored);
  const out = new Set(order.filter((k) => keySetHas(stored, k)));
  for (const k of stored) if (!k.includes('...')) out.add(k);
  return out;
}

function samePartitioning(a: AutomationAsset, b: AutomationAsset): boolean {
  if (!a.partitions || !b.partitions) return !a.partitions && !b.partitions;
  return sameDefinition(a.partitions, b.partitions);
}

function inLatestWindow(asset: AutomationAsset, key: string, lookbackMs: number | null, now: Date): boolean {
  const def = asset.partitions;
  if (!def || def.kind === 'static') return true;
  if (!lookbackMs) return key === lastPartitionKey(def, now);
  return partitionTimeWindow(def, key).end.getTime() > now.getTime() - lookbackMs;
}
