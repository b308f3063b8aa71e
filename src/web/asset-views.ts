import type { AssetGraph } from '../core/graph/asset-graph.js';
import type { AnyAssetDefinition } from '../core/asset/asset-definition.js';
import type { CheckResultRecord, FreshnessStorage, MaterializationRecord, ObservationRecord } from '../storage/instance.js';
import type { AssetView, CheckResultView, MaterializationView, ObservationView } from './api-contract.js';
import type { AssetFreshnessView } from './api-views.js';

export function assetView(graph: AssetGraph, key: string): AssetView {
  const a = graph.get(key);
  return { key, group: a.group, kinds: a.kinds, tags: a.tags, owners: a.owners, deps: [...a.deps].sort() };
}

export function materializationView(m: MaterializationRecord): MaterializationView {
  return { id: m.id, runId: m.runId, stepKey: m.stepKey, metadata: m.metadata, dataVersion: m.dataVersion, at: m.at.toISOString() };
}

export function observationView(o: ObservationRecord): ObservationView {
  return { id: o.id, runId: o.runId, partition: o.partitionKey, metadata: o.metadata, at: o.at.toISOString() };
}

export function checkResultView(c: CheckResultRecord): CheckResultView {
  return {
    id: c.id,
    runId: c.runId,
    checkName: c.checkName,
    passed: c.passed,
    severity: c.severity,
    blocking: c.blocking,
    metadata: c.metadata,
    description: c.description,
    at: c.at.toISOString(),
  };
}

/** The asset page's freshness panel: the policy and deadline as defined, the current verdicts (worst first) and the latest `limit` changes. */
export async function assetFreshnessView(freshness: FreshnessStorage, asset: AnyAssetDefinition, limit: number): Promise<AssetFreshnessView | null> {
  if (!asset.freshness && !asset.deadline) return null;
  const order = { FAIL: 0, WARN: 1, PASS: 2 } as const;
  const [states, history] = await Promise.all([freshness.listFreshnessStates([asset.key]), freshness.freshnessResults(asset.key, { limit })]);
  const policyOf = (kind: string) => (kind === 'freshness' ? asset.freshness : asset.deadline) !== undefined;
  return {
    policy: asset.freshness ? { maxLagMinutes: asset.freshness.maxLagMinutes, warnAfterMinutes: asset.freshness.warnAfterMinutes ?? null } : null,
    deadline: asset.deadline
      ? { cron: asset.deadline.cron, timezone: asset.deadline.timezone, warnBeforeMinutes: asset.deadline.warnBeforeMinutes ?? null, customPartition: asset.deadline.partition !== undefined }
      : null,
    current: states
      .filter((s) => policyOf(s.kind))
      .sort((a, b) => order[a.level] - order[b.level] || b.partitionKey.localeCompare(a.partitionKey))
      .map((s) => ({ kind: s.kind, partitionKey: s.partitionKey, level: s.level, summary: s.summary, deadline: s.deadline?.toISOString() ?? null, at: s.since.toISOString(), recovers: null })),
    history: history.map((r) => ({ kind: r.kind, partitionKey: r.partitionKey, level: r.level, summary: r.summary, deadline: r.deadline?.toISOString() ?? null, at: r.at.toISOString(), recovers: r.recovers })),
  };
}
