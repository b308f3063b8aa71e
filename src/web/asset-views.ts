import type { AssetGraph } from '../core/graph/asset-graph.js';
import type { CheckResultRecord, MaterializationRecord, ObservationRecord } from '../storage/instance.js';
import type { AssetView, CheckResultView, MaterializationView, ObservationView } from './api-contract.js';

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
