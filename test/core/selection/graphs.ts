import type { AnyAssetDefinition } from '../../../src/core/asset/asset-definition.js';
import { defineAsset } from '../../../src/core/asset/define-asset.js';
import { AssetGraph } from '../../../src/core/graph/asset-graph.js';

type Spec = Omit<Parameters<typeof defineAsset>[0], 'materialize'>;

function graphOf(specs: Spec[]): AssetGraph {
  const defs: AnyAssetDefinition[] = specs.map((spec) => defineAsset({ ...spec, materialize: () => {} }));
  return AssetGraph.build(defs.map((definition) => ({ definition })));
}

/**
 * A small warehouse:
 *
 *   raw/orders    -> stg_orders    -> dbt/orders_enriched -> dbt/revenue -> reports/daily_summary
 *   raw/customers -> stg_customers -/                       /            \-> postgres_export
 *   raw/payments  -> stg_payments  ------------------------/
 *   my_asset -> my_prefix/my_asset
 */
export function shopGraph(): AssetGraph {
  return graphOf([
    { key: 'raw/orders', group: 'raw', kinds: ['postgres'], owners: ['team@x.com'], tags: { pii: 'true', domain: 'sales' } },
    { key: 'raw/customers', group: 'raw', kinds: ['postgres'], owners: ['team@x.com'], tags: { pii: 'true' } },
    { key: 'raw/payments', group: 'raw', kinds: ['s3'], tags: { domain: 'finance' } },
    { key: 'stg_orders', deps: ['raw/orders'], group: 'dbt', kinds: ['dbt'], tags: { priority: 'high', domain: 'sales' } },
    { key: 'stg_customers', deps: ['raw/customers'], group: 'dbt', kinds: ['dbt'], owners: ['alice'], tags: { pii: 'true' } },
    { key: 'stg_payments', deps: ['raw/payments'], group: 'dbt', kinds: ['dbt'] },
    { key: 'dbt/orders_enriched', deps: ['stg_orders', 'stg_customers'], group: 'finance', kinds: ['dbt', 'snowflake'], tags: { priority: 'low' } },
    { key: 'dbt/revenue', deps: ['dbt/orders_enriched', 'stg_payments'], group: 'finance', kinds: ['dbt'], owners: ['team:finance'], tags: { priority: 'high' } },
    { key: 'reports/daily_summary', deps: ['dbt/revenue'], group: 'reporting', kinds: ['python'], owners: ['bob@x.com'], tags: { tier: 'gold' } },
    { key: 'postgres_export', deps: ['dbt/revenue'], group: 'reporting', kinds: ['postgres'] },
    { key: 'my_asset' },
    { key: 'my_prefix/my_asset', deps: ['my_asset'] },
  ]);
}

/**
 * Two paths of different length from `a` to `d`, for breadth-first depth:
 *
 *   a -> b ------> d -> e
 *   a -> c -> c2 -/
 */
export function diamondGraph(): AssetGraph {
  return graphOf([
    { key: 'a' },
    { key: 'b', deps: ['a'] },
    { key: 'c', deps: ['a'] },
    { key: 'c2', deps: ['c'] },
    { key: 'd', deps: ['b', 'c2'] },
    { key: 'e', deps: ['d'] },
  ]);
}

/** The shape of the graph in Dagster's asset selection examples. */
export function dagsterExampleGraph(): AssetGraph {
  return graphOf([
    { key: 'raw_data_a', group: 'raw', kinds: ['python'] },
    { key: 'raw_data_b', group: 'raw', kinds: ['python'] },
    { key: 'raw_data_c', group: 'raw', kinds: ['python'] },
    { key: 'summary_stats_1', deps: ['raw_data_a'], group: 'analytics', kinds: ['python'] },
    { key: 'summary_stats_2', deps: ['raw_data_b'], group: 'analytics', kinds: ['python'] },
    { key: 'combo_a_b_c_data', deps: ['raw_data_a', 'raw_data_b', 'raw_data_c'], group: 'analytics', kinds: ['dbt'] },
    { key: 'a_b_c_for_sales', deps: ['combo_a_b_c_data'], group: 'sales', kinds: ['dbt'] },
    { key: 'b_c_for_sales', deps: ['raw_data_b', 'raw_data_c'], group: 'sales', kinds: ['dbt'] },
  ]);
}
