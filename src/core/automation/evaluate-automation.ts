import type { AssetKey } from '../asset/asset-key.js';
import { toErrorInfo, type ErrorInfo } from '../events.js';
import type { AssetCursor, AutomationAsset, AutomationCursor, AutomationSnapshot, EvaluationNode } from './automation-snapshot.js';
import { evaluateCondition, type CronTickBetween } from './evaluate-condition.js';
import type { AutomationCondition } from './automation-condition.js';
import { canCarry, settledInputs, type SettledInputs } from './carry-over.js';
import { EvaluationScope } from './evaluation-scope.js';
import type { PartitionSet } from './partition-set.js';

export interface AutomationEvaluationInput {
  /** Every asset of the graph, in topological order (deps before their children). */
  readonly assets: readonly AutomationAsset[];
  readonly snapshot: AutomationSnapshot;
  /** The previous evaluation's cursor; undefined before the first. */
  readonly previous: AutomationCursor | undefined;
  readonly cronTickBetween: CronTickBetween;
  /**
   * The evaluation `previous` is the cursor of, with the assets whose state (partitions, checks,
   * runs in progress) may have changed since its snapshot: an asset whose evaluation there settled
   * (carry-over.ts) and none of whose inputs changed is carried over instead of evaluated again.
   * Undefined: every automated asset is evaluated.
   */
  readonly prior?: { readonly evaluation: AutomationEvaluation; readonly changed: ReadonlySet<AssetKey> };
}

export interface AssetEvaluation {
  readonly asset: AssetKey;
  /** The partitions requested ('' for an unpartitioned asset), oldest first. */
  readonly requested: readonly string[];
  readonly tree: EvaluationNode | null;
  /** Why the asset could not be evaluated (e.g. a partition mapping that does not fit). */
  readonly error: ErrorInfo | null;
  /** Set when the evaluation is a fixed point that the next one may carry over (in memory only). */
  readonly settled?: SettledInputs;
  /** True when this is the prior evaluation's result carried over: nothing it reads changed since, so evaluating again would give this same tree. */
  readonly carried?: boolean;
}

export interface AutomationEvaluation {
  readonly evaluatedAt: string;
  /** One per automated asset, in topological order. */
  readonly assets: readonly AssetEvaluation[];
  /** What to request, by asset (only assets with some partition requested). */
  readonly requested: ReadonlyMap<AssetKey, readonly string[]>;
  readonly cursor: AutomationCursor;
  /** What it computed of the snapshot (in memory: the next evaluation takes over what did not change). */
  readonly scope: EvaluationScope;
}

/**
 * One evaluation of every automated asset's condition against one snapshot, in topological order
 * so a child sees what its deps will be requested (will_be_requested). Pure: the snapshot, the
 * previous cursor (and evaluation, with what changed since), and the cron function are all it
 * reads. Returns what to request, each asset's evaluated tree, and the cursor the next evaluation
 * starts from.
 */
export function evaluateAutomation(input: AutomationEvaluationInput): AutomationEvaluation {
  const { snapshot, previous } = input;
  const byKey = new Map(input.assets.map((a) => [a.key, a]));
  const prior = input.prior && previous && input.prior.evaluation.cursor.evaluatedAt === previous.evaluatedAt ? input.prior : undefined;
  const scope = new EvaluationScope(snapshot, previous?.lastEventId, prior && { scope: prior.evaluation.scope, changed: prior.changed });
  const requested = new Map<AssetKey, PartitionSet>();
  const results: AssetEvaluation[] = [];
  const cursors: Record<AssetKey, AssetCursor> = {};
  const priorResults = new Map(prior?.evaluation.assets.map((a) => [a.asset, a]));
  const cronTickBetween = input.cronTickBetween;
  for (const asset of input.assets) {
    if (!asset.automation) continue;
    const condition = conditionHash(asset.automation);
    const before = previous?.assets[asset.key];
    const settled = priorResults.get(asset.key)?.settled;
    if (prior && settled && canCarry(settled, asset, before, condition, { changed: prior.changed, requested, previous: previous!, scope, assets: byKey, cronTickBetween })) {
      results.push({ ...priorResults.get(asset.key)!, carried: true });
      cursors[asset.key] = before!;
      continue;
    }
    const nodes: Record<string, readonly string[]> = {};
    const initial = before === undefined || before.condition !== condition;
    try {
      const { trueSet, node } = evaluateCondition(asset.automation, asset, undefined, scope.universeOf(asset).full, '0', {
        assets: byKey,
        snapshot,
        previous,
        previousNodes: initial ? {} : before.nodes,
        root: asset,
        initial,
        requested,
        cronTickBetween,
        nodes,
        scope,
      });
      if (!trueSet.isEmpty()) requested.set(asset.key, trueSet);
      const keys = trueSet.universeKeys();
      const fixed = settledInputs({ asset, tree: node, requested, initial, before, nodes, previous, scope, assets: byKey, cronTickBetween });
      results.push({ asset: asset.key, requested: keys, tree: node, error: null, ...(fixed ? { settled: fixed } : {}) });
      cursors[asset.key] = { condition, codeVersion: asset.codeVersion ?? null, requested: keys, nodes };
    } catch (error) {
      results.push({ asset: asset.key, requested: [], tree: null, error: toErrorInfo(error) });
      // Keep the previous state, so the asset picks up where it was once the problem is fixed.
      if (before) cursors[asset.key] = before;
    }
  }
  scope.detach();
  const evaluatedAt = snapshot.now.toISOString();
  return {
    evaluatedAt,
    assets: results,
    requested: new Map([...results].filter((r) => r.requested.length > 0).map((r) => [r.asset, r.requested])),
    cursor: { evaluatedAt, lastEventId: Math.max(snapshot.lastEventId, previous?.lastEventId ?? 0), assets: cursors },
    scope,
  };
}

const hashes = new WeakMap<AutomationCondition, string>();

/** A short fingerprint of a condition's JSON (cyrb53), kept in the cursor to notice a changed condition. */
export function conditionHash(condition: AutomationCondition): string {
  const known = hashes.get(condition);
  if (known) return known;
  const text = JSON.stringify(condition);
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const hash = (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
  hashes.set(condition, hash);
  return hash;
}
