import { randomUUID } from 'node:crypto';
import { SluiceError } from '../core/errors.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import { FailedCheckGateError } from '../core/checks/failed-check-gate-error.js';
import { failedGates, gateCandidates } from '../core/checks/failed-gates.js';
import { buildPlan } from '../core/plan/execution-plan.js';
import { assertMultiAssetSubsets } from '../core/plan/multi-asset-subsets.js';
import { partitionPlan, resolveRunPartitions } from '../core/plan/run-partitions.js';
import { validateRunConfig } from '../core/plan/validate-run-config.js';
import { selectWithStatus } from './asset-statuses.js';
import type { Instance, NewRun, RunRecord } from '../storage/instance.js';
import { ALLOW_FAILED_CHECKS_TAG, assertUserTags } from '../core/run/system-tags.js';

export interface LaunchRequest {
  readonly selection: string;
  /** Run config keyed by asset key; validated against each selected asset's schema. */
  readonly config?: unknown;
  readonly configRef?: { readonly name: string; readonly version: number } | null;
  /** The user's tags: none may use the reserved `sluice/` prefix (but `sluice/priority`). */
  readonly tags?: Readonly<Record<string, string>>;
  /** Where `tags` came from, for error messages (`--tag`). */
  readonly tagsSource?: string;
  /** Tags Sluice itself sets (a schedule's, a re-execution's); see core/run/system-tags.ts. */
  readonly systemTags?: Readonly<Record<string, string>>;
  /** `cli`, `schedule:<name>`, `web`, ... */
  readonly trigger: string;
  readonly now: Date;
  readonly runId?: string;
  /** Where the selection came from, for error messages (`--select`). */
  readonly selectionSource?: string;
  /**
   * Launch even when a gating check upstream of the selection (and outside it) failed in its
   * latest evaluation. The run is tagged `sluice/allow_failed_checks=true`, so the override shows.
   */
  readonly allowFailedChecks?: boolean;
  /** A partition key, or a range `from...to`, of the selection's partitioned assets. */
  readonly partition?: string;
  /** Where the partition came from, for error messages (`--partition`). */
  readonly partitionSource?: string;
}


export class EmptySelectionError extends SluiceError {
  constructor(selection: string, where: string) {
    super('EMPTY_SELECTION', `${where} "${selection}" selects no assets; run \`sluice assets list\` to see what exists`, {
      selection,
      where,
    });
  }
}

const TAG_KEY = /^[A-Za-z0-9_.\/-]+$/;

/**
 * Cross-run gating at launch: refuses (FailedCheckGateError) when a gating check upstream of `keys`
 * and outside them failed in its latest evaluation, unless `allowFailedChecks`, which tags the run
 * instead so the override shows.
 */
export async function applyGating(deps: { instance: Instance; graph: AssetGraph }, keys: ReadonlySet<string>, allowFailedChecks: boolean, tags: Record<string, string>): Promise<void> {
  if (allowFailedChecks) {
    tags[ALLOW_FAILED_CHECKS_TAG] = 'true';
    return;
  }
  const candidates = gateCandidates(deps.graph, keys);
  if (candidates.length === 0) return;
  const gates = failedGates(deps.graph, keys, await deps.instance.eventLog.latestCheckResults(candidates));
  if (gates.length > 0) throw new FailedCheckGateError(gates);
}

/**
 * A config object's entries for `keys` only, and for the multi-assets they belong to (a named
 * config may cover more than a selection).
 */
export function onlySelected(config: unknown, keys: ReadonlySet<string>, graph: AssetGraph): unknown {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return config;
  const multis = new Set([...keys].flatMap((key) => (graph.has(key) && graph.get(key).multiAsset ? [graph.get(key).multiAsset!.name] : [])));
  return Object.fromEntries(Object.entries(config).filter(([key]) => keys.has(key) || multis.has(key)));
}

/** A copy of `tags`; throws INVALID_TAG for a malformed key or a non-string value. */
export function validateTags(given: Readonly<Record<string, string>>): Record<string, string> {
  const tags = { ...given };
  for (const [k, v] of Object.entries(tags)) {
    if (!TAG_KEY.test(k) || typeof v !== 'string') {
      throw new SluiceError('INVALID_TAG', `invalid run tag "${k}": keys use letters, digits, "_", "-", ".", "/" and values are strings`, { tag: k });
    }
  }
  return tags;
}

/**
 * Resolves the selection, validates config and tags, applies cross-run gating, plans the run and
 * writes it QUEUED. Bad input fails here, before anything is written.
 *
 * Cross-run gating: an asset upstream of the selection but outside it is taken as it is in storage,
 * so when one of its gating checks (blocking, ERROR) failed in its latest evaluation, the run is
 * refused with FailedCheckGateError, unless `allowFailedChecks`. Upstream assets inside the
 * selection do not gate from storage: their checks run again in this run, and the plan makes their
 * downstream wait for them.
 */
export async function launchRun(deps: { instance: Instance; graph: AssetGraph }, request: LaunchRequest): Promise<RunRecord> {
  return deps.instance.runs.createRun(await planRun(deps, request));
}

/**
 * Everything launchRun does but the write: the run as createRun takes it, so a caller can write it
 * in a transaction of its own (a sensor tick commits its runs with its cursor). Reads storage only
 * for cross-run gating and selection by status.
 */
export async function planRun(deps: { instance: Instance; graph: AssetGraph }, request: LaunchRequest): Promise<NewRun> {
  const where = request.selectionSource ?? '--select';
  const keys = await selectWithStatus(deps.instance.eventLog, deps.graph, request.selection, request.now);
  if (keys.size === 0) throw new EmptySelectionError(request.selection, where);
  assertMultiAssetSubsets(deps.graph, keys, `${where} "${request.selection}"`);
  const partitions = resolveRunPartitions(deps.graph, keys, request.partition, request.now, request.partitionSource);
  // A named config may cover more than this selection (a whole pipeline's settings): only the
  // selected assets' entries apply. Inline config stays strict: configuring an unselected asset
  // there is a mistake worth an error.
  const config = validateRunConfig(deps.graph, keys, request.configRef ? onlySelected(request.config, keys, deps.graph) : request.config);
  assertUserTags(request.tags ?? {}, request.tagsSource ?? '--tag');
  const tags = validateTags({ ...request.tags, ...request.systemTags });
  Object.assign(tags, partitions.tags);
  await applyGating(deps, keys, request.allowFailedChecks === true, tags);
  const plan = partitionPlan(deps.graph, buildPlan(deps.graph, keys), partitions);
  return {
    id: request.runId ?? randomUUID(),
    selection: request.selection,
    trigger: request.trigger,
    tags,
    config,
    configRef: request.configRef ?? null,
    steps: plan.steps,
    at: request.now,
    partition: partitions.partition,
  };
}
