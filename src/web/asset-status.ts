import { isGating } from '../core/checks/check-definition.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import type { CheckResultRecord, Instance, MaterializationRecord } from '../storage/instance.js';
import type { AssetStateView, AssetStatus, CheckBadge } from './api-contract.js';

/** How many recent FAILURE runs are read to find assets whose last attempt failed. */
const FAILED_RUNS_WINDOW = 25;

/**
 * The status of every asset, from what storage holds now:
 * - running: an asset step of a QUEUED, STARTED or CANCELING run is PENDING or RUNNING;
 * - failed: its step failed in one of the last 25 failed runs after its latest materialization,
 *   or the latest result of one of its gating checks (blocking, ERROR) failed;
 * - missing: never materialized;
 * - stale: a parent was materialized after it, or a parent is stale (so staleness flows downstream);
 * - fresh: otherwise.
 * Costs a handful of queries whatever the number of assets (no query per asset).
 */
export async function computeAssetStates(instance: Instance, graph: AssetGraph): Promise<Map<string, AssetStateView>> {
  const checkCount = graph.allChecks().length;
  const [latest, active, failedRuns, checkResults] = await Promise.all([
    instance.latestMaterializations(),
    instance.listRuns({ statuses: ['QUEUED', 'STARTED', 'CANCELING'], limit: 1000 }),
    instance.listRuns({ statuses: ['FAILURE'], limit: FAILED_RUNS_WINDOW }),
    checkCount === 0 ? Promise.resolve([] as CheckResultRecord[]) : instance.checkResults({ limit: Math.max(1000, checkCount * 3) }),
  ]);
  const running = new Map<string, string>();
  const failedAt = new Map<string, { at: Date; runId: string; message: string }>();
  const [activeSteps, failedSteps] = await Promise.all([
    Promise.all(active.map((run) => instance.listSteps(run.id))),
    Promise.all(failedRuns.map((run) => instance.listSteps(run.id))),
  ]);
  for (const steps of activeSteps) {
    for (const step of steps) if (step.kind === 'asset' && (step.status === 'PENDING' || step.status === 'RUNNING')) running.set(step.assetKey, step.runId);
  }
  for (const steps of failedSteps) {
    for (const step of steps) {
      if (step.kind !== 'asset' || step.status !== 'FAILED' || !step.endedAt) continue;
      const seen = failedAt.get(step.assetKey);
      if (!seen || seen.at < step.endedAt) failedAt.set(step.assetKey, { at: step.endedAt, runId: step.runId, message: step.error?.message ?? 'step failed' });
    }
  }
  const latestCheck = new Map<string, CheckResultRecord>();
  for (const result of checkResults) {
    const id = `${result.assetKey}#${result.checkName}`;
    if (!latestCheck.has(id)) latestCheck.set(id, result);
  }
  const out = new Map<string, AssetStateView>();
  // graph.order is topological, so every parent's state is known before its children's.
  for (const key of graph.order) {
    const mat = latest.get(key);
    const checks: CheckBadge[] = graph.checksOf(key).map((def) => {
      const r = latestCheck.get(`${key}#${def.name}`);
      return { name: def.name, severity: def.severity, blocking: def.blocking, passed: r ? r.passed : null, at: r ? r.at.toISOString() : null, runId: r?.runId ?? null };
    });
    const { status, reason, runId } = statusOf(key, mat, { running, failedAt, latest, graph, checks, states: out });
    out.set(key, { key, status, lastMaterializedAt: mat ? mat.at.toISOString() : null, lastRunId: runId ?? mat?.runId ?? null, reason, checks });
  }
  return out;
}

function statusOf(
  key: string,
  mat: MaterializationRecord | undefined,
  ctx: {
    running: Map<string, string>;
    failedAt: Map<string, { at: Date; runId: string; message: string }>;
    latest: Map<string, MaterializationRecord>;
    graph: AssetGraph;
    checks: CheckBadge[];
    states: ReadonlyMap<string, AssetStateView>;
  },
): { status: AssetStatus; reason: string | null; runId?: string } {
  const runId = ctx.running.get(key);
  if (runId) return { status: 'running', reason: null, runId };
  const failed = ctx.failedAt.get(key);
  if (failed && (!mat || mat.at < failed.at)) return { status: 'failed', reason: failed.message, runId: failed.runId };
  const gatingFailed = ctx.checks.find((c) => c.passed === false && isGating(c));
  if (gatingFailed) return { status: 'failed', reason: `check ${gatingFailed.name} failed`, ...(gatingFailed.runId ? { runId: gatingFailed.runId } : {}) };
  if (!mat) return { status: 'missing', reason: null };
  const newer = ctx.graph.parents(key).find((p) => {
    const parent = ctx.latest.get(p);
    return parent !== undefined && parent.at > mat.at;
  });
  if (newer) return { status: 'stale', reason: `${newer} was materialized after it` };
  const staleParent = ctx.graph.parents(key).find((p) => ctx.states.get(p)?.status === 'stale');
  if (staleParent) return { status: 'stale', reason: `upstream ${staleParent} is stale` };
  return { status: 'fresh', reason: null };
}

/**
 * Coalesces status computations: callers within `ttlMs` of the last one share its result, so a
 * page of 5,000 assets and ten open browsers cost one computation per second.
 */
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
