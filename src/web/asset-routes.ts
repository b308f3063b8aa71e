import { describePartitions } from '../core/partitions/describe-partitions.js';
import { formatValue } from '../core/selection/format-selection.js';
import { selectAssets } from '../core/selection/index.js';
import { didYouMean, suggest } from '../core/suggest.js';
import { loadAssetPartitions } from '../execution/asset-partitions.js';
import { loadAssetStatuses } from '../execution/asset-statuses.js';
import { loadAssetFreshness } from '../execution/asset-freshness.js';
import type { Instance } from '../storage/instance.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import type { LineageView } from './api-contract.js';
import { NEXT_ROUTE, type Handlers } from './api-dispatch.js';
import type { AssetStateCache } from './asset-status.js';
import { assetFreshnessView, assetView, checkResultView, materializationView, observationView } from './asset-views.js';
import { HttpError } from './http-util.js';
import { configDefaults, previewLaunch } from './launch-preview.js';
import { layoutLineage } from './lineage-layout.js';

type AssetRoutes = 'listAssets' | 'assetPartitions' | 'getAsset' | 'assetStates' | 'lineage' | 'selection' | 'launchPreview';

/** The asset routes: list (with statuses), detail, partitions, states, lineage, selection and launch preview. */
export function assetHandlers(deps: { instance: Instance; graph: AssetGraph }, states: AssetStateCache): Handlers<AssetRoutes> {
  const { instance, graph } = deps;
  let lineage: LineageView | undefined;
  return {
    async listAssets({ query }) {
      const keys = query.select === undefined ? graph.keys() : [...selectAssets(query.select, graph)].sort();
      if (query.status !== 'true') return { assets: keys.map((key) => assetView(graph, key)) };
      const [statuses, freshness] = await Promise.all([loadAssetStatuses(instance.eventLog, graph, new Date()), loadAssetFreshness(instance.freshness, graph)]);
      return {
        assets: keys.map((key) => {
          const s = statuses.get(key)!;
          return { ...assetView(graph, key), status: s.status, statusReason: s.reason, partitions: s.partitions, freshness: freshness.get(key) ?? null };
        }),
      };
    },
    async assetPartitions({ params }) {
      // An asset whose key itself ends in /partitions is the asset route's.
      if (graph.has(`${params.key}/partitions`)) return NEXT_ROUTE;
      return loadAssetPartitions(instance, graph, params.key, new Date());
    },
    async getAsset({ params: { key }, query }) {
      if (!graph.has(key)) throw new HttpError(404, 'UNKNOWN_ASSET', `no asset "${key}" in this project${didYouMean(suggest(key, graph.keys()))}`);
      const def = graph.get(key);
      const [all, materializations, observations, checks, freshness] = await Promise.all([
        states.get(),
        instance.eventLog.materializations(key, { limit: query.limit }),
        instance.eventLog.observations(key, { limit: query.limit }),
        instance.eventLog.checkResults({ assetKey: key, limit: query.limit }),
        assetFreshnessView(instance.freshness, def, query.limit),
      ]);
      return {
        asset: { ...assetView(graph, key), description: def.description ?? null, codeVersion: def.codeVersion ?? null, source: graph.sourceOf(key) ?? null },
        state: all.get(key)!,
        selection: `key:${formatValue(key)}`,
        upstream: [...graph.parents(key)].sort(),
        downstream: [...graph.children(key)],
        takesConfig: def.config !== undefined,
        partitionsDefinition: def.partitions ? describePartitions(def.partitions) : null,
        configDefaults: configDefaults(graph, key),
        materializations: materializations.map(materializationView),
        observations: observations.map(observationView),
        checkHistory: checks.map(checkResultView),
        freshness,
      };
    },
    async assetStates() {
      return { states: [...(await states.get()).values()] };
    },
    async lineage() {
      lineage ??= layoutLineage(graph);
      return lineage;
    },
    async selection({ query }) {
      const selected = selectAssets(query.select, graph);
      return { keys: graph.order.filter((k) => selected.has(k)) };
    },
    async launchPreview({ body }) {
      return previewLaunch(graph, body.selection, body.config, new Date());
    },
  };
}
