import { randomUUID } from 'node:crypto';
import { SluiceError } from '../core/errors.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import { buildPlan } from '../core/plan/execution-plan.js';
import { validateRunConfig } from '../core/plan/validate-run-config.js';
import { selectAssets } from '../core/selection/index.js';
import type { Instance, RunRecord } from '../storage/instance.js';

export interface LaunchRequest {
  readonly selection: string;
  /** Run config keyed by asset key; validated against each selected asset's schema. */
  readonly config?: unknown;
  readonly configRef?: { readonly name: string; readonly version: number } | null;
  readonly tags?: Readonly<Record<string, string>>;
  /** `cli`, `schedule:<name>`, `web`, ... */
  readonly trigger: string;
  readonly now: Date;
  readonly runId?: string;
  /** Where the selection came from, for error messages (`--select`). */
  readonly selectionSource?: string;
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
 * Resolves the selection, validates config and tags, plans the run and writes it QUEUED. Bad
 * input fails here, before anything is written.
 */
export async function launchRun(deps: { instance: Instance; graph: AssetGraph }, request: LaunchRequest): Promise<RunRecord> {
  const where = request.selectionSource ?? '--select';
  const keys = selectAssets(request.selection, deps.graph);
  if (keys.size === 0) throw new EmptySelectionError(request.selection, where);
  const config = validateRunConfig(deps.graph, keys, request.config);
  const tags = { ...(request.tags ?? {}) };
  for (const [k, v] of Object.entries(tags)) {
    if (!TAG_KEY.test(k) || typeof v !== 'string') {
      throw new SluiceError('INVALID_TAG', `invalid run tag "${k}": keys use letters, digits, "_", "-", ".", "/" and values are strings`, { tag: k });
    }
  }
  const plan = buildPlan(deps.graph, keys);
  return deps.instance.createRun({
    id: request.runId ?? randomUUID(),
    selection: request.selection,
    trigger: request.trigger,
    tags,
    config,
    configRef: request.configRef ?? null,
    steps: plan.steps,
    at: request.now,
  });
}
