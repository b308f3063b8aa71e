import type { AssetKey } from '../asset/asset-key.js';
import type { AssetGraph } from '../graph/asset-graph.js';
import { isGating } from './check-definition.js';

/** The stored evaluation of a check, as far as gating needs it. */
export interface StoredCheckResult {
  readonly assetKey: string;
  readonly checkName: string;
  readonly passed: boolean;
  readonly runId: string;
  readonly at: Date;
  readonly description: string | null;
}

/** A failed gating check upstream of a run's selection, and the selected assets it holds back. */
export interface FailedGate {
  readonly assetKey: AssetKey;
  readonly checkName: string;
  readonly runId: string;
  readonly at: Date;
  readonly description: string | null;
  /** Selected assets downstream (transitively) of `assetKey`, sorted. */
  readonly blocks: readonly AssetKey[];
}

/**
 * The assets whose stored check results gate a run of `selected`: upstream (transitively) of a
 * selected asset, not selected themselves (a selected asset's checks run again in the run), and with
 * at least one gating check (blocking, severity ERROR) defined now. Sorted.
 */
export function gateCandidates(graph: AssetGraph, selected: ReadonlySet<AssetKey>): AssetKey[] {
  return [...graph.upstream(selected)].filter((key) => !selected.has(key) && graph.checksOf(key).some(isGating)).sort();
}

/**
 * Cross-run gating: of the latest stored results (`latest`, one per asset and check), those whose
 * check is gating now, failed, and belongs to a gate candidate of `selected`. A check since removed
 * or made non-gating no longer gates; a check never evaluated does not gate (there is no failure).
 */
export function failedGates(graph: AssetGraph, selected: ReadonlySet<AssetKey>, latest: readonly StoredCheckResult[]): FailedGate[] {
  const candidates = new Set(gateCandidates(graph, selected));
  const gates: FailedGate[] = [];
  for (const result of latest) {
    if (result.passed || !candidates.has(result.assetKey)) continue;
    const check = graph.checksOf(result.assetKey).find((c) => c.name === result.checkName);
    if (!check || !isGating(check)) continue;
    const blocks = [...graph.downstream([result.assetKey])].filter((key) => selected.has(key)).sort();
    gates.push({ assetKey: result.assetKey, checkName: result.checkName, runId: result.runId, at: result.at, description: result.description, blocks });
  }
  return gates.sort((a, b) => a.assetKey.localeCompare(b.assetKey) || a.checkName.localeCompare(b.checkName));
}
