import { SluiceError } from '../core/errors.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import { formatValue } from '../core/selection/format-selection.js';
import { launchRun } from './launch-run.js';
import { UnknownRunError } from './run-summary.js';
import type { Instance, RunRecord } from '../storage/instance.js';
import { PARENT_RUN_TAG, PARTITION_RANGE_END_TAG, PARTITION_RANGE_START_TAG, PARTITION_TAG, ROOT_RUN_TAG, SYSTEM_TAG_PREFIX, USER_SETTABLE_TAGS } from '../core/run/system-tags.js';

const PARTITION_TAGS = [PARTITION_TAG, PARTITION_RANGE_START_TAG, PARTITION_RANGE_END_TAG];


/**
 * Launches a new run of what a FAILURE or CANCELED run did not finish: the assets whose step
 * failed, was skipped, canceled or never ran, and the assets of failed checks (a check reruns with
 * its asset). Steps that succeeded are taken as they are in storage. The new run keeps the parent's
 * tags and config (for the reselected assets) and is tagged with the parent and root run ids.
 */
export async function reexecuteFromFailure(
  deps: { instance: Instance; graph: AssetGraph },
  parentRunId: string,
  options: { trigger: string; now: Date },
): Promise<{ run: RunRecord; selection: string }> {
  const parent = await deps.instance.runs.getRun(parentRunId);
  if (!parent) throw new UnknownRunError(parentRunId);
  if (parent.status !== 'FAILURE' && parent.status !== 'CANCELED') {
    throw new SluiceError(
      'NOT_REEXECUTABLE',
      `run "${parentRunId}" is ${parent.status}; only a FAILURE or CANCELED run can be re-executed from failure`,
      { runId: parentRunId, status: parent.status },
    );
  }
  const steps = await deps.instance.runs.listSteps(parentRunId);
  const keys = new Set<string>();
  const materialized = new Set((await deps.instance.eventLog.listEvents(parentRunId, { types: ['MATERIALIZATION'] })).map((e) => (e.data as { assetKey: string }).assetKey));
  for (const step of steps) {
    if (step.status === 'SUCCEEDED') continue;
    // A multi-asset's step reruns the keys it did not materialize, when it can run a part of itself.
    const subset = step.multi !== undefined && deps.graph.multiAsset(step.multi)?.canSubset === true;
    for (const key of step.assetKeys ?? [step.assetKey]) {
      if (subset && materialized.has(key)) continue;
      // An asset removed from the project since cannot be rerun; the rest still can.
      if (deps.graph.has(key)) keys.add(key);
    }
  }
  if (keys.size === 0) {
    throw new SluiceError('NOTHING_TO_REEXECUTE', `run "${parentRunId}" has no failed or unfinished step of an asset that still exists`, { runId: parentRunId });
  }
  const sorted = deps.graph.order.filter((k) => keys.has(k));
  const selection = sorted.map((k) => `key:${formatValue(k)}`).join(' or ');
  const multis = new Set([...keys].flatMap((k) => (deps.graph.get(k).multiAsset ? [deps.graph.get(k).multiAsset!.name] : [])));
  const config = Object.fromEntries(Object.entries(parent.config).filter(([key]) => keys.has(key) || multis.has(key)));
  // The same partition as the parent, when what is rerun is partitioned (its tags come back with it).
  const partitioned = sorted.some((k) => deps.graph.get(k).partitions !== undefined);
  const tags = Object.fromEntries(Object.entries(parent.tags).filter(([key]) => !PARTITION_TAGS.includes(key)));
  const isSystem = (key: string) => key.startsWith(SYSTEM_TAG_PREFIX) && !USER_SETTABLE_TAGS.has(key);
  const run = await launchRun(deps, {
    selection,
    config,
    ...(partitioned && parent.partition ? { partition: parent.partition, partitionSource: `partition of run "${parent.id}"` } : {}),
    tags: Object.fromEntries(Object.entries(tags).filter(([key]) => !isSystem(key))),
    systemTags: { ...Object.fromEntries(Object.entries(tags).filter(([key]) => isSystem(key))), [PARENT_RUN_TAG]: parent.id, [ROOT_RUN_TAG]: parent.tags[ROOT_RUN_TAG] ?? parent.id },
    trigger: options.trigger,
    now: options.now,
    selectionSource: 're-execution selection',
  });
  return { run, selection };
}
