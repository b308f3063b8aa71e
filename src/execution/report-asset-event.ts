import { randomUUID } from 'node:crypto';
import type { Metadata } from '../core/asset/metadata.js';
import { SluiceError } from '../core/errors.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import { UnknownAssetError } from '../core/graph/unknown-asset-error.js';
import { buildPlan } from '../core/plan/execution-plan.js';
import { partitionPlan, resolveRunPartitions } from '../core/plan/run-partitions.js';
import { EXTERNAL_TAG } from '../core/run/system-tags.js';
import type { Instance } from '../storage/instance.js';
import { finishRunIfDone } from './finish-run.js';
import { sanitizeMetadata } from './sanitize-metadata.js';

/** A materialization made outside Sluice (an upstream system loaded a table). */
export interface AssetReport {
  readonly assetKey: string;
  /** Required for a partitioned asset, refused for an unpartitioned one. */
  readonly partition?: string;
  readonly metadata?: Metadata;
  /** Who reported it, for the run's trigger (`external:cli`, `external:api`). */
  readonly source: string;
  readonly now: Date;
}

/**
 * Records a materialization reported from outside Sluice as a run of its own (trigger
 * `external:<source>`, tag `sluice/external`): one asset step, claimed and ended SUCCEEDED here with
 * the reported metadata, through the same writes a step makes, so the asset's partition state,
 * staleness, asset sensors and declarative automation all see it like any materialization. The
 * run queue never starts such a run. A key that is not an asset (or is part of a multi-asset) is
 * refused; an asset being materialized right now is refused with ASSET_BUSY (retry later).
 */
export async function reportAssetMaterialization(deps: { instance: Instance; graph: AssetGraph }, report: AssetReport): Promise<{ runId: string }> {
  const { instance, graph } = deps;
  if (!graph.has(report.assetKey)) throw new UnknownAssetError(report.assetKey, graph.keys());
  const asset = graph.get(report.assetKey);
  if (asset.multiAsset) {
    throw new SluiceError(
      'MULTI_ASSET_REPORT',
      `asset "${report.assetKey}" is materialized by multi-asset "${asset.multiAsset.name}"; materializations of its keys are reported by its runs, not from outside`,
      { key: report.assetKey },
    );
  }
  const keys = new Set([report.assetKey]);
  const partitions = resolveRunPartitions(graph, keys, report.partition, report.now, 'partition');
  const [step] = partitionPlan(graph, buildPlan(graph, keys), partitions).steps.filter((s) => s.kind === 'asset');
  const runId = randomUUID();
  await instance.runs.createRun({
    id: runId,
    selection: `key:${report.assetKey}`,
    trigger: `external:${report.source}`,
    tags: { ...partitions.tags, [EXTERNAL_TAG]: 'true' },
    config: {},
    configRef: null,
    steps: [{ ...step!, deps: [] }],
    at: report.now,
    partition: partitions.partition,
  });
  await instance.runs.setRunStatus(runId, 'STARTED', report.now);
  const start = await instance.runs.startStep(runId, step!.key, 1, report.now, `external:${report.source}`);
  if (!start.started) {
    await finishRunIfDone(instance.runs, runId, report.now, { cancelRequested: true });
    throw new SluiceError('ASSET_BUSY', `asset "${report.assetKey}" is being materialized by a run right now; report it again once that run ended`, { key: report.assetKey });
  }
  await instance.runs.finishStep(runId, step!.key, {
    status: 'SUCCEEDED',
    attempt: 1,
    at: report.now,
    durationMs: 0,
    materialization: { metadata: sanitizeMetadata(report.metadata), ...(asset.codeVersion ? { codeVersion: asset.codeVersion } : {}), ...(partitions.partition ? { partition: partitions.partition } : {}) },
  });
  await finishRunIfDone(instance.runs, runId, report.now);
  return { runId };
}
