import { randomUUID } from 'node:crypto';
import { SluiceError } from '../core/errors.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import { formatPartitionRange } from '../core/partitions/partition-range.js';
import { buildPlan } from '../core/plan/execution-plan.js';
import { partitionPlan, partitionTags, resolveRunPartitions, type RunPartitions } from '../core/plan/run-partitions.js';
import { validateRunConfig } from '../core/plan/validate-run-config.js';
import type { BackfillPolicy } from '../core/plan/backfill-policy.js';
import type { BackfillRecord, Instance, NewRun } from '../storage/instance.js';
import { selectWithStatus } from './asset-statuses.js';
import { assertMultiAssetSubsets } from '../core/plan/multi-asset-subsets.js';
import { applyGating, EmptySelectionError, onlySelected, validateTags } from './launch-run.js';
import { assertUserTags, BACKFILL_TAG, CONCURRENCY_KEY_TAG, CONCURRENCY_LIMIT_TAG } from '../core/run/system-tags.js';


export interface BackfillRequest {
  readonly selection: string;
  readonly from: string;
  readonly to: string;
  readonly policy: BackfillPolicy;
  /** At most this many of its runs at once (the run queue enforces it); null = only the global limits. */
  readonly maxConcurrentRuns: number | null;
  /** Only the partitions in the range whose latest outcome, for any selected asset, FAILED. */
  readonly onlyFailed?: boolean;
  /** Only the partitions in the range that some selected asset has no stored state for (never materialized nor failed). With onlyFailed: either. */
  readonly onlyMissing?: boolean;
  readonly config?: unknown;
  /** The named config version `config` came from (each run records it; only the selected assets' entries apply). */
  readonly configRef?: { readonly name: string; readonly version: number } | null;
  readonly tags?: Readonly<Record<string, string>>;
  /** Tags Sluice itself sets on every run of the backfill (automation's); see core/run/system-tags.ts. */
  readonly systemTags?: Readonly<Record<string, string>>;
  readonly trigger: string;
  readonly now: Date;
  readonly allowFailedChecks?: boolean;
  readonly id?: string;
}


/**
 * Plans and writes a backfill: validates the selection (every selected asset partitioned, one
 * partition space), the range, config and tags, applies cross-run gating once, splits the
 * partitions into runs by the policy, and writes the backfill with all its runs QUEUED in one
 * transaction, so a daemon restart finds every run it has not finished in storage. The run queue
 * starts them (at most `maxConcurrentRuns` at once, through a concurrency key).
 */
export async function launchBackfill(deps: { instance: Instance; graph: AssetGraph }, request: BackfillRequest): Promise<BackfillRecord> {
  const keys = await selectWithStatus(deps.instance.eventLog, deps.graph, request.selection, request.now);
  if (keys.size === 0) throw new EmptySelectionError(request.selection, '--select');
  assertMultiAssetSubsets(deps.graph, keys, `backfill --select "${request.selection}"`);
  const unpartitioned = [...keys].filter((key) => !deps.graph.get(key).partitions);
  if (unpartitioned.length > 0) {
    throw new SluiceError(
      'UNPARTITIONED_SELECTION',
      `backfill --select "${request.selection}" includes unpartitioned asset(s) ${unpartitioned.slice(0, 5).join(', ')}${unpartitioned.length > 5 ? ', ...' : ''}: a backfill materializes partitions; select only partitioned assets (add \`and not key:${unpartitioned[0]}\`), then materialize what is downstream once`,
      { unpartitioned },
    );
  }
  const whole = resolveRunPartitions(deps.graph, keys, formatPartitionRange(request.from, request.to), request.now, '--from/--to');
  const partitionKeys = request.onlyFailed || request.onlyMissing ? await targetedKeys(deps.instance, keys, whole.keys, request) : whole.keys;
  const config = validateRunConfig(deps.graph, keys, request.configRef ? onlySelected(request.config, keys, deps.graph) : request.config);
  assertUserTags(request.tags ?? {}, '--tag');
  const tags = validateTags({ ...request.tags, ...request.systemTags });
  await applyGating(deps, keys, request.allowFailedChecks === true, tags);

  const id = request.id ?? randomUUID();
  tags[BACKFILL_TAG] = id;
  if (request.maxConcurrentRuns !== null) Object.assign(tags, { [CONCURRENCY_KEY_TAG]: `backfill:${id}`, [CONCURRENCY_LIMIT_TAG]: String(request.maxConcurrentRuns) });
  const plan = buildPlan(deps.graph, keys);
  const position = new Map(whole.keys.map((key, i) => [key, i]));
  const chunks = splitPartitions(partitionKeys, request.policy, (a, b) => position.get(b) === position.get(a)! + 1);
  const width = String(chunks.length).length;
  const runs: NewRun[] = chunks.map((chunk, i) => {
    const partition = chunk.length === 1 ? chunk[0]! : formatPartitionRange(chunk[0]!, chunk.at(-1)!);
    const partitions: RunPartitions = { partition, keys: chunk, definition: whole.definition, tags: partitionTags(partition) };
    const runTags = { ...tags, ...partitions.tags };
    return {
      // Ids sort in partition order, so the queue (oldest first, then id) starts them in order.
      id: `${id}-${String(i + 1).padStart(width, '0')}`,
      selection: request.selection,
      trigger: `backfill:${id}`,
      tags: runTags,
      config,
      configRef: request.configRef ?? null,
      steps: partitionPlan(deps.graph, plan, partitions).steps,
      at: request.now,
      partition: partitions.partition,
    };
  });
  return deps.instance.backfills.createBackfill(
    {
      id,
      selection: request.selection,
      from: request.from,
      to: request.to,
      policy: request.policy,
      maxConcurrentRuns: request.maxConcurrentRuns,
      partitions: partitionKeys,
      trigger: request.trigger,
      tags: request.tags ?? {},
      at: request.now,
    },
    runs,
  );
}

/**
 * The keys of the range that --only-failed / --only-missing keep, from the stored (asset,
 * partition) states: failed for any selected asset, or with no state row for one of them. Throws
 * NOTHING_TO_BACKFILL when none is left.
 */
async function targetedKeys(instance: Instance, assets: ReadonlySet<string>, range: readonly string[], request: BackfillRequest): Promise<string[]> {
  const rows = await instance.eventLog.assetPartitions([...assets]);
  const failed = new Set(rows.filter((p) => p.status === 'FAILED').map((p) => p.partitionKey));
  const stored = new Map<string, number>();
  for (const row of rows) stored.set(row.partitionKey, (stored.get(row.partitionKey) ?? 0) + 1);
  const kept = range.filter((key) => (request.onlyFailed === true && failed.has(key)) || (request.onlyMissing === true && (stored.get(key) ?? 0) < assets.size));
  if (kept.length === 0) {
    const flags = [request.onlyFailed ? '--only-failed' : '', request.onlyMissing ? '--only-missing' : ''].filter(Boolean).join(' ');
    const what = [request.onlyFailed ? 'failed in its latest run' : '', request.onlyMissing ? 'is missing' : ''].filter(Boolean).join(' or ');
    throw new SluiceError('NOTHING_TO_BACKFILL', `${flags}: no partition from ${request.from} to ${request.to} of --select "${request.selection}" ${what}; nothing to backfill`, {
      from: request.from,
      to: request.to,
    });
  }
  return kept;
}

/**
 * Runs of a backfill: one per partition, one for all, or contiguous chunks of N. With
 * --only-failed the keys may have gaps: a chunk never spans one (its range would include
 * partitions that did not fail), so chunks are cut at gaps too.
 */
export function splitPartitions(keys: readonly string[], policy: BackfillPolicy, contiguous?: (a: string, b: string) => boolean): string[][] {
  const size = policy.kind === 'per-partition' ? 1 : policy.kind === 'chunks' ? policy.size : Number.POSITIVE_INFINITY;
  const out: string[][] = [];
  for (const key of keys) {
    const last = out.at(-1);
    if (last && last.length < size && (!contiguous || contiguous(last.at(-1)!, key))) last.push(key);
    else out.push([key]);
  }
  return out;
}
