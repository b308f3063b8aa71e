import { isSluiceError } from '../core/errors.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
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
 * next to the editor.
 */
export function previewLaunch(graph: AssetGraph, selection: string, config: unknown): LaunchPreviewResponse {
  const selected = selectAssets(selection, graph);
  const keys = graph.order.filter((k) => selected.has(k));
  let configError: LaunchPreviewResponse['configError'] = null;
  try {
    validateRunConfig(graph, selected, config);
  } catch (error) {
    if (!isSluiceError(error)) throw error;
    configError = { code: error.code, message: error.message };
  }
  return {
    keys,
    configurable: keys.filter((k) => graph.get(k).config).map((key) => ({ key, defaults: configDefaults(graph, key) })),
    checks: keys.reduce((n, k) => n + graph.checksOf(k).length, 0),
    configError,
  };
}
