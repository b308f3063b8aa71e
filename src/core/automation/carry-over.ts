import type { AssetKey } from '../asset/asset-key.js';
import { childrenOf, type AutomationCondition } from './automation-condition.js';
import type { AssetCursor, AutomationAsset, AutomationCursor, EvaluationNode } from './automation-snapshot.js';
import type { CronTickBetween } from './evaluate-condition.js';
import type { EvaluationScope } from './evaluation-scope.js';
import type { PartitionSet } from './partition-set.js';

/**
 * An asset's evaluation that is a fixed point: evaluating it again on the same facts, with the
 * state it left, gives the same tree, no request and the same state. That holds when nothing in it
 * was a one-evaluation event: it requested nothing (newly_requested), it was not its first
 * evaluation (initial_evaluation) nor one after a code version change, none of the assets it read
 * had a new materialization (newly_updated) nor was requested (will_be_requested), no cron tick
 * of it passed, it has no lookback window (which moves with the clock), and its stateful nodes
 * (since, newly_true) kept their state. Kept in memory only.
 */
export interface SettledInputs {
  /** Every asset its tree read (itself and its deps, theirs under nested deps_match). */
  readonly reads: readonly AssetKey[];
  /** The partition keys of those assets when it settled (a new day changes them). */
  readonly windows: string;
}

/** What the settling check needs of the evaluation that just ran. */
export interface SettleCheck {
  readonly asset: AutomationAsset;
  readonly tree: EvaluationNode;
  readonly requested: ReadonlyMap<AssetKey, PartitionSet>;
  readonly initial: boolean;
  readonly before: AssetCursor | undefined;
  readonly nodes: Readonly<Record<string, readonly string[]>>;
  readonly previous: AutomationCursor | undefined;
  readonly scope: EvaluationScope;
  readonly assets: ReadonlyMap<AssetKey, AutomationAsset>;
  readonly cronTickBetween: CronTickBetween;
}

/** The inputs of an evaluation that settled (see SettledInputs), or undefined when it did not. */
export function settledInputs(c: SettleCheck): SettledInputs | undefined {
  const { asset, before } = c;
  if (c.initial || !before || c.requested.has(asset.key)) return undefined;
  if (before.codeVersion !== (asset.codeVersion ?? null) || before.requested.length > 0) return undefined;
  if (!sameNodes(before.nodes, c.nodes) || movesWithClock(asset.automation!) || cronTicked(asset.automation!, c.previous, c.scope, c.cronTickBetween)) return undefined;
  const reads = new Set<AssetKey>([asset.key, ...asset.deps]);
  const visit = (node: EvaluationNode) => {
    reads.add(node.asset);
    node.children.forEach(visit);
  };
  visit(c.tree);
  for (const key of reads) {
    if (key !== asset.key && c.requested.has(key)) return undefined;
    const read = c.assets.get(key);
    if (read && !c.scope.factsOf(read).newlyUpdated.isEmpty()) return undefined;
  }
  return { reads: [...reads], windows: windowsOf([...reads], c.scope, c.assets) };
}

/**
 * Whether a settled evaluation can stand for this one: the same condition and code version, none
 * of the assets it read changed (`changed`: a materialization, a failure, a check result, a run in
 * progress started or ended) nor is requested by this evaluation, the same partition keys, and no
 * cron tick of it since the previous evaluation.
 */
export function canCarry(
  settled: SettledInputs,
  asset: AutomationAsset,
  before: AssetCursor | undefined,
  conditionHash: string,
  ctx: { changed: ReadonlySet<AssetKey>; requested: ReadonlyMap<AssetKey, PartitionSet>; previous: AutomationCursor; scope: EvaluationScope; assets: ReadonlyMap<AssetKey, AutomationAsset>; cronTickBetween: CronTickBetween },
): boolean {
  if (!before || before.condition !== conditionHash || before.codeVersion !== (asset.codeVersion ?? null)) return false;
  if (settled.reads.some((key) => ctx.changed.has(key) || ctx.requested.has(key))) return false;
  if (cronTicked(asset.automation!, ctx.previous, ctx.scope, ctx.cronTickBetween)) return false;
  return windowsOf(settled.reads, ctx.scope, ctx.assets) === settled.windows;
}

function windowsOf(keys: readonly AssetKey[], scope: EvaluationScope, assets: ReadonlyMap<AssetKey, AutomationAsset>): string {
  return keys
    .map((key) => {
      const asset = assets.get(key);
      if (!asset) return '-';
      const universe = scope.universeOf(asset);
      return `${universe.keys.length}:${universe.keys.at(-1) ?? ''}`;
    })
    .join(',');
}

function sameNodes(a: Readonly<Record<string, readonly string[]>>, b: Readonly<Record<string, readonly string[]>>): boolean {
  const ids = Object.keys(a);
  if (ids.length !== Object.keys(b).length) return false;
  return ids.every((id) => {
    const x = a[id]!;
    const y = b[id];
    return y !== undefined && x.length === y.length && x.every((k, i) => k === y[i]);
  });
}

interface ConditionTraits {
  /** It has an in_latest_time_window with a lookback (which moves with the clock). */
  readonly movesWithClock: boolean;
  readonly crons: ReadonlyArray<{ readonly cron: string; readonly timezone: string }>;
}

const traitsCache = new WeakMap<AutomationCondition, ConditionTraits>();

/** What carrying over needs to know of a condition, found once per condition object. */
function traitsOf(condition: AutomationCondition): ConditionTraits {
  let traits = traitsCache.get(condition);
  if (traits) return traits;
  let movesWithClock = false;
  const crons: Array<{ cron: string; timezone: string }> = [];
  const visit = (node: AutomationCondition) => {
    if (node.kind === 'in_latest_time_window' && node.lookbackMs) movesWithClock = true;
    if (node.kind === 'cron_tick_passed') crons.push({ cron: node.cron, timezone: node.timezone });
    childrenOf(node).forEach(visit);
  };
  visit(condition);
  traitsCache.set(condition, (traits = { movesWithClock, crons }));
  return traits;
}

function movesWithClock(condition: AutomationCondition): boolean {
  return traitsOf(condition).movesWithClock;
}

/** Whether a tick of a cron of the condition falls between the previous evaluation and now. */
function cronTicked(condition: AutomationCondition, previous: AutomationCursor | undefined, scope: EvaluationScope, cronTickBetween: CronTickBetween): boolean {
  const { crons } = traitsOf(condition);
  if (crons.length === 0 || previous === undefined) return false;
  const after = new Date(previous.evaluatedAt);
  return crons.some((c) => cronTickBetween(c.cron, c.timezone, after, scope.now));
}
