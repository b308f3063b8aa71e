import { isSluiceError } from '../core/errors.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import { describePartitions } from '../core/partitions/describe-partitions.js';
import { lastPartitionKey } from '../core/partitions/partition-keys.js';
import { validateRunConfig } from '../core/plan/validate-run-config.js';
import { selectAssets } from '../core/selection/index.js';
import type { LaunchPreviewResponse } from './api-contract.js';

/** An asset's config with every default applied, or null when it takes none or has required fields. */
export function configDefaults(graph: AssetGraph, key: string): unknown {
  const schema = graph.get(key).config;
  if (!schema) return null;
  const parsed = schema.safeParse({});
  return parsed.success ? parsed.data : null;
}

/**
 * What launching `selection` with `config` would run, without writing anything: the selected keys
 * (the CLI's parser and resolver), the configurable assets with their defaults, and the config
 * validated against each selected asset's schema exactly as `launchRun` will. A bad selection
 * throws (the caller answers 400); a bad config is part of the answer, so the page can show it
 * next to the editor. `partitions` tells the page whether the launch needs a partition: the
 * selected partitioned assets, their definition (the first one's: a launch refuses two) and its
 * latest key up to `now`.
 */
export function previewLaunch(graph: AssetGraph, selection: string, config: unknown, now: Date): LaunchPreviewResponse {
  const selected = selectAssets(selection, graph);
  const keys = graph.order.filter((k) => selected.has(k));
  let configError: LaunchPreviewResponse['configError'] = null;
  try {
    validateRunConfig(graph, selected, config);
  } catch (error) {
    if (!isSluiceError(error)) throw error;
    configError = { code: error.code, message: error.message };
  }
  const partitioned = keys.filter((k) => graph.get(k).partitions);
  const def = partitioned.length > 0 ? graph.get(partitioned[0]!).partitions! : undefined;
  return {
    keys,
    partitions: def ? { keys: partitioned, definition: describePartitions(def), latest: lastPartitionKey(def, now) ?? null } : null,
    configurable: keys.filter((k) => graph.get(k).config).map((key) => ({ key, defaults: configDefaults(graph, key) })),
    checks: keys.reduce((n, k) => n + graph.checksOf(k).length, 0),
    configError,
  };
}
