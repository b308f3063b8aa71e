import { isGating } from '../core/checks/check-definition.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import { loadAssetStatuses } from '../execution/asset-statuses.js';
import type { CheckResultRecord, Instance } from '../storage/instance.js';
import type { AssetStateView, AssetStatus, CheckBadge } from './api-contract.js';

/**
 * The status of every asset as the lineage colors it: the status the CLI and the selection syntax
 * use (`core/staleness`: fresh, stale, failed, missing; per partition for partitioned assets),
 * with two overlays for the on-call view:
 * - running: an asset step of a STARTED or CANCELING run is PENDING or RUNNING;
 * - failed: the latest result of one of its gating checks (blocking, ERROR) failed, even though
 *   the asset itself materialized (the promotion it gates did not happen).
 * Costs a handful of queries whatever the number of assets (no query per asset).
 */
export async function computeAssetStates(instance: Instance, graph: AssetGraph, now = new Date()): Promise<Map<string, AssetStateView>> {
  const checkCount = graph.allChecks().length;
  const [statuses, latest, active, checkResults] = await Promise.all([
    loadAssetStatuses(instance.eventLog, graph, now),
    instance.eventLog.latestMaterializations(),
    // Started runs only: a backfill can queue thousands of runs, and a queued run runs nothing yet.
    instance.runs.listRuns({ statuses: ['STARTED', 'CANCELING'], limit: 1000 }),
    checkCount === 0 ? Promise.resolve([] as CheckResultRecord[]) : instance.eventLog.latestCheckResults(graph.keys()),
  ]);
  const running = new Map<string, string>();
  for (const steps of await Promise.all(active.map((run) => instance.runs.listSteps(run.id)))) {
    for (const step of steps) {
      if (step.kind !== 'asset' || (step.status !== 'PENDING' && step.status !== 'RUNNING')) continue;
      for (const key of step.assetKeys ?? [step.assetKey]) running.set(key, step.runId);
    }
  }
  const latestCheck = new Map(checkResults.map((r) => [`${r.assetKey}#${r.checkName}`, r]));
  const out = new Map<string, AssetStateView>();
  for (const key of graph.order) {
    const mat = latest.get(key);
    const checks: CheckBadge[] = graph.checksOf(key).map((def) => {
      const r = latestCheck.get(`${key}#${def.name}`);
      return { name: def.name, severity: def.severity, blocking: def.blocking, passed: r ? r.passed : null, at: r ? r.at.toISOString() : null, runId: r?.runId ?? null };
    });
    const core = statuses.get(key);
    const gatingFailed = checks.find((c) => c.passed === false && isGating(c));
    const runId = running.get(key);
    const [status, reason]: [AssetStatus, string | null] = runId
      ? ['running', null]
      : core?.status !== 'failed' && gatingFailed
        ? ['failed', `check ${gatingFailed.name} failed`]
        : [core?.status ?? 'missing', core?.reason ?? null];
    out.set(key, {
      key,
      status,
      lastMaterializedAt: mat ? mat.at.toISOString() : null,
      lastRunId: runId ?? (status === 'failed' && gatingFailed && core?.status !== 'failed' ? gatingFailed.runId : null) ?? mat?.runId ?? null,
      reason,
      checks,
    });
  }
  return out;
}

export class AssetStateCache {
  private last: { at: number; value: Promise<Map<string, AssetStateView>> } | undefined;

  constructor(
    private readonly instance: Instance,
    private readonly graph: AssetGraph,
    private readonly ttlMs = 1000,
  ) {}

  get(): Promise<Map<string, AssetStateView>> {
    const now = Date.now();
    if (this.last && now - this.last.at < this.ttlMs) return this.last.value;
    const value = computeAssetStates(this.instance, this.graph);
    this.last = { at: now, value };
    value.catch(() => {
      if (this.last?.value === value) this.last = undefined;
    });
    return value;
  }
}
