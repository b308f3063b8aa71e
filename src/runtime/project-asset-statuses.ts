import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import { assetStatuses } from '../core/staleness/asset-status.js';
import type { AssetStatusWithFreshness } from './run-service.js';
import type { Settings } from './settings.js';

/**
 * Every asset's status (and worst freshness verdict) for `sluice assets list --json/--status`: from the embedded daemon when one
 * holds the store, else from the store. A project whose embedded store was never created has
 * materialized nothing, so its statuses are computed without creating it, and without loading the
 * storage modules (a cold `assets list` stays as cheap as loading the definitions).
 */
export async function projectAssetStatuses(settings: Settings, graph: AssetGraph, now: Date): Promise<Map<string, AssetStatusWithFreshness>> {
  // No embedded store yet (and so no daemon holding one): nothing was ever recorded.
  if (!settings.databaseUrl && !existsSync(join(settings.projectDir, '.sluice', 'runs'))) {
    return new Map([...assetStatuses(graph, new Map(), now)].map(([key, s]) => [key, { ...s, freshness: null }]));
  }
  const { openRunService } = await import('./open-run-service.js');
  const service = await openRunService(settings);
  try {
    return await service.assetStatuses(graph);
  } finally {
    await service.close();
  }
}
