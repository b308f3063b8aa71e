import { randomUUID } from 'node:crypto';
import type { Metadata } from '../core/asset/metadata.js';
import { SluiceError } from '../core/errors.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import { UnknownAssetError } from '../core/graph/unknown-asset-error.js';
import { buildPlan } from '../core/plan/execution-plan.js';
import { partitionPlan, resolveRunPartitions } from '../core/plan/run-partitions.js';
import { EXTERNAL_TAG } from '../core/run/system-tags.js';
import type { Instance } from '../storage/instance.js';
import type { NewRun } from '../storage/run-storage.js';
import { finishRunIfDone } from './finish-run.js';
import { sanitizeMetadata } from './sanitize-metadata.js';

/** What an asset report records: a new materialization (default), or an observation (metadata, no new materialization). */
export type AssetReportKind = 'materialization' | 'observation';

/** A materialization (an upstream system loaded a table) or an observation (it counted the rows) made outside Sluice. */
export interface AssetReport {
  readonly assetKey: string;
  /** Required for a partitioned asset, refused for an unpartitioned one. */
  readonly partition?: string;
  readonly metadata?: Metadata;
  /** Default `materialization`. */
  readonly kind?: AssetReportKind;
  /** Who reported it, for the run's trigger (`external:cli`, `external:api`). */
  readonly source: string;
  readonly now: Date;
}

/** Records the report as what it says it is (reportAssetMaterialization or reportAssetObservation). */
export function reportAssetEvent(deps: { instance: Instance; graph: AssetGraph }, report: AssetReport): Promise<{ runId: string }> {
  return report.kind === 'observation' ? reportAssetObservation(deps, report) : reportAssetMaterialization(deps, report);
}

/**
 * Records an observation reported from outside Sluice (metadata about the asset, e.g. a row count,
 * without a new materialization) as a run of its own, like a reported materialization (trigger
 * `external:<source>`, tag `sluice/external`), holding one ASSET_OBSERVATION event with the
 * metadata and partition: one transaction, no step, no lock. It writes no materialization and no
 * partition state, so staleness and declarative automation do not count it as an update (Dagster:
 * "asset observations do not signify that an asset has been mutated"); asset sensors see it when
 * they ask (`includeObservations`). Refused like a materialization: a key that is not an asset, a
 * missing or unexpected partition, a range. Keys of a multi-asset may be observed.
 */
export async function reportAssetObservation(deps: { instance: Instance; graph: AssetGraph }, report: AssetReport): Promise<{ runId: string }> {
  const { instance, graph } = deps;
  if (!graph.has(report.assetKey)) throw new UnknownAssetError(report.assetKey, graph.keys());
  const partitions = resolveRunPartitions(graph, new Set([report.assetKey]), report.partition, report.now, 'partition');
  if (partitions.keys.length > 1) {
    throw new SluiceError('OBSERVATION_RANGE', `an observation is of one partition of "${report.assetKey}", not of the range "${report.partition}"; report each partition`, { key: report.assetKey, partition: report.partition });
  }
  const run = externalRun(report, partitions, []);
  await instance.runs.createObservationRun(run, { assetKey: report.assetKey, metadata: sanitizeMetadata(report.metadata), ...(partitions.partition ? { partition: partitions.partition } : {}) });
  return { runId: run.id };
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
  const run = externalRun(report, partitions, [{ ...step!, deps: [] }]);
  const runId = run.id;
  await instance.runs.createRun(run);
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

/** The run a report is recorded in: its own, triggered `external:<source>`, tagged `sluice/external`. */
function externalRun(report: AssetReport, partitions: ReturnType<typeof resolveRunPartitions>, steps: NewRun['steps']): NewRun {
  return {
    id: randomUUID(),
    selection: `key:${report.assetKey}`,
    trigger: `external:${report.source}`,
    tags: { ...partitions.tags, [EXTERNAL_TAG]: 'true' },
    config: {},
    configRef: null,
    steps,
    at: report.now,
    partition: partitions.partition,
  };
}
