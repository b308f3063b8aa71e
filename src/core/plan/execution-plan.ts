import type { AssetKey } from '../asset/asset-key.js';
import { isGating } from '../checks/check-definition.js';
import type { AssetGraph } from '../graph/asset-graph.js';

/** One unit of work in a run: materialize an asset, or evaluate one of its checks. */
export interface PlanStep {
  /** `raw/entries` for an asset, `raw/entries#no_nulls` for a check. */
  readonly key: string;
  readonly kind: 'asset' | 'check';
  readonly assetKey: AssetKey;
  readonly checkName: string | null;
  /** Step keys that must succeed before this one may start. */
  readonly deps: readonly string[];
  /** The partition keys the step materializes (or checks); absent/null when its asset is unpartitioned. */
  readonly partitions?: readonly string[] | null;
  /** A multi-asset's step: the multi-asset's name (`assetKey` is then the first of `assetKeys`). */
  readonly multi?: string;
  /** A multi-asset's step: the selected keys it materializes, in dependency order. */
  readonly assetKeys?: readonly AssetKey[];
}

export interface ExecutionPlan {
  /** In dependency order. */
  readonly steps: readonly PlanStep[];
}

export function checkStepKey(assetKey: AssetKey, checkName: string): string {
  return `${assetKey}#${checkName}`;
}

/**
 * The step key of a multi-asset's `n`th step in a run (1 for the first): `@<name>`, then
 * `@<name>~2`... ("@" never starts an asset key, so the keys cannot meet).
 */
export function multiStepKey(name: string, n: number): string {
  return n === 1 ? `@${name}` : `@${name}~${n}`;
}

/**
 * The step a key names: `raw/entries` is the asset step, `raw/entries#valid` a check step,
 * `@dbt_models` (or `@dbt_models~2`) a multi-asset's step, whose asset keys only the run's plan
 * (the step row) knows: its `assetKey` is empty here.
 */
export function parseStepKey(key: string): Pick<PlanStep, 'key' | 'kind' | 'assetKey' | 'checkName' | 'multi'> {
  if (key.startsWith('@')) {
    const tilde = key.indexOf('~');
    return { key, kind: 'asset', assetKey: '', checkName: null, multi: key.slice(1, tilde < 0 ? undefined : tilde) };
  }
  const hash = key.indexOf('#');
  return hash < 0
    ? { key, kind: 'asset', assetKey: key, checkName: null }
    : { key, kind: 'check', assetKey: key.slice(0, hash), checkName: key.slice(hash + 1) };
}

/**
 * The plan for materializing `keys` (already resolved against `graph`): one step per asset, one
 * per check of each selected asset (selecting an asset selects its checks), and one step for the
 * selected keys of each multi-asset (split only where a step outside it sits between two of its
 * keys: see assignSteps). An asset step depends on the steps of its nearest selected ancestors
 * (its selected parents, and, through parents left out of the selection, the selected assets
 * above them) and on their gating checks (blocking, severity ERROR), so a failing gating check
 * skips everything downstream in the run, even across a gap in the selection. A multi-asset's own
 * checks are evaluated by its step, whose failure skips its downstream the same way. Unselected
 * parents are taken as they are in storage (cross-run gating of their latest check results
 * happens at launch: core/checks/failed-gates.ts).
 */
export function buildPlan(graph: AssetGraph, keys: ReadonlySet<AssetKey>): ExecutionPlan {
  const nearest = nearestSelectedAncestors(graph, keys);
  const stepOf = assignSteps(graph, keys, nearest);
  const byKey = new Map<string, { key: string; multi?: string; assetKeys: AssetKey[]; deps: Set<string>; checks: PlanStep[] }>();
  for (const key of graph.order) {
    if (!keys.has(key)) continue;
    const stepKey = stepOf.get(key)!;
    let step = byKey.get(stepKey);
    if (!step) byKey.set(stepKey, (step = { key: stepKey, ...(graph.get(key).multiAsset ? { multi: graph.get(key).multiAsset!.name } : {}), assetKeys: [], deps: new Set(), checks: [] }));
    step.assetKeys.push(key);
    for (const upstream of nearest(key)) {
      const upstreamStep = stepOf.get(upstream)!;
      if (upstreamStep !== stepKey) step.deps.add(upstreamStep);
      for (const check of graph.checksOf(upstream)) if (isGating(check) && !check.multiAsset) step.deps.add(checkStepKey(upstream, check.name));
    }
    for (const check of graph.checksOf(key)) {
      if (check.multiAsset) continue;
      step.checks.push(Object.freeze({ key: checkStepKey(key, check.name), kind: 'check', assetKey: key, checkName: check.name, deps: Object.freeze([stepKey]) }));
    }
  }
  const steps: PlanStep[] = [];
  for (const step of byKey.values()) {
    steps.push(
      Object.freeze({
        key: step.key,
        kind: 'asset',
        assetKey: step.assetKeys[0]!,
        checkName: null,
        deps: Object.freeze([...step.deps].sort()),
        ...(step.multi === undefined ? {} : { multi: step.multi, assetKeys: Object.freeze([...step.assetKeys]) }),
      }),
      ...step.checks,
    );
  }
  return Object.freeze({ steps: Object.freeze(inDependencyOrder(steps)) });
}

/**
 * The step of each selected key: the key itself, or for a key of a multi-asset one of that
 * multi-asset's steps. Keys of one multi-asset share a step unless that would make the steps depend
 * on each other in a circle (a step outside it, or of another multi-asset, between two of its
 * keys): then a later key opens the multi-asset's next step. Keys are taken in dependency order and
 * each joins the first step of its multi-asset it can join without a circle, so steps are as few as
 * this order allows (dbt's models with a plain asset between two of them: two `dbt build`s, in order).
 */
export function assignSteps(graph: AssetGraph, keys: ReadonlySet<AssetKey>, nearest = nearestSelectedAncestors(graph, keys)): Map<AssetKey, string> {
  const stepOf = new Map<AssetKey, string>();
  const parents = new Map<string, Set<string>>();
  const opened = new Map<string, string[]>();
  /** Whether step `from` depends on step `target`, directly or through others. */
  const dependsOn = (from: string, target: string): boolean => {
    const seen = new Set<string>([from]);
    const stack = [from];
    while (stack.length > 0) {
      for (const parent of parents.get(stack.pop()!) ?? []) {
        if (parent === target) return true;
        if (!seen.has(parent)) seen.add(parent), stack.push(parent);
      }
    }
    return false;
  };
  for (const key of graph.order) {
    if (!keys.has(key)) continue;
    const upstream = new Set([...nearest(key)].map((k) => stepOf.get(k)!));
    const multi = graph.get(key).multiAsset;
    let step: string | undefined;
    if (multi) {
      const steps = opened.get(multi.name) ?? [];
      step = steps.find((candidate) => [...upstream].every((u) => u === candidate || !dependsOn(u, candidate)));
      if (step === undefined) {
        step = multiStepKey(multi.name, steps.length + 1);
        opened.set(multi.name, [...steps, step]);
      }
    } else step = key;
    const own = parents.get(step) ?? new Set<string>();
    for (const u of upstream) if (u !== step) own.add(u);
    parents.set(step, own);
    stepOf.set(key, step);
  }
  return stepOf;
}

/** `steps` ordered so every step comes after its deps, otherwise keeping their order. */
function inDependencyOrder(steps: readonly PlanStep[]): PlanStep[] {
  const placed = new Set<string>();
  const out: PlanStep[] = [];
  let pending = [...steps];
  while (pending.length > 0) {
    const next = pending.filter((step) => {
      if (!step.deps.every((dep) => placed.has(dep))) return true;
      out.push(step);
      placed.add(step.key);
      return false;
    });
    if (next.length === pending.length) throw new Error(`buildPlan: steps depend on each other in a circle: ${next.map((s) => s.key).join(', ')}`);
    pending = next;
  }
  return out;
}

/**
 * For a selected key: its selected parents, plus, for each unselected parent, the nearest selected
 * assets above it. One pass in dependency order (no recursion, so a long chain of unselected assets
 * cannot overflow the stack); unselected assets with no selected ancestor share one empty set.
 */
function nearestSelectedAncestors(graph: AssetGraph, keys: ReadonlySet<AssetKey>): (key: AssetKey) => ReadonlySet<AssetKey> {
  const none: ReadonlySet<AssetKey> = new Set();
  const above = (key: AssetKey): ReadonlySet<AssetKey> => {
    let out: Set<AssetKey> | undefined;
    for (const parent of graph.parents(key)) {
      const found = keys.has(parent) ? [parent] : (throughUnselected.get(parent) ?? none);
      for (const ancestor of found) (out ??= new Set()).add(ancestor);
    }
    return out ?? none;
  };
  const throughUnselected = new Map<AssetKey, ReadonlySet<AssetKey>>();
  for (const key of graph.order) if (!keys.has(key)) throughUnselected.set(key, above(key));
  return above;
}
