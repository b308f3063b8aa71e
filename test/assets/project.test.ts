import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AnyAssetDefinition } from '../../src/core/asset/asset-definition.js';
import type { AnyMultiAssetDefinition } from '../../src/core/asset/multi-asset-definition.js';
import type { AnyCheckDefinition } from '../../src/core/checks/check-definition.js';
import { AssetGraph } from '../../src/core/graph/asset-graph.js';

const ASSETS_DIR = fileURLToPath(new URL('../../assets/', import.meta.url));

/** Every .ts module under assets/, the way Sluice discovers a project (recursively). */
async function assetModules(): Promise<string[]> {
  const entries = await readdir(ASSETS_DIR, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

async function loadProject() {
  const assets: Array<{ definition: AnyAssetDefinition; source: string }> = [];
  const checks: Array<{ definition: AnyCheckDefinition; source: string }> = [];
  for (const file of await assetModules()) {
    const source = relative(ASSETS_DIR, file);
    const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    for (const value of Object.values(module).flatMap((v) => (Array.isArray(v) ? v : [v]))) {
      const kind = (value as { kind?: unknown } | null)?.kind;
      if (kind === 'asset') assets.push({ definition: value as AnyAssetDefinition, source });
      if (kind === 'multi_asset') for (const asset of (value as AnyMultiAssetDefinition).assets) assets.push({ definition: asset, source });
      if (kind === 'check') checks.push({ definition: value as AnyCheckDefinition, source });
    }
  }
  return { assets, checks, graph: AssetGraph.build(assets, checks) };
}

describe('the example project under assets/', () => {
  it('forms a valid graph: dev_branch -> raw/entries -> dbt -> branch_status (quality) -> promote_dev_to_main -> publish -> tag_release', async () => {
    const { graph } = await loadProject();
    expect(graph.order).toEqual([
      'dev_branch',
      'raw/entries',
      'dbt/stg_entries',
      'dbt/fct_readings',
      'dbt/daily_glucose',
      'branch_status',
      'promote_dev_to_main',
      'publish',
      'tag_release',
    ]);
    expect(graph.parents('dbt/stg_entries')).toEqual(['raw/entries']);
    expect(graph.parents('branch_status')).toEqual(expect.arrayContaining(['dbt/daily_glucose', 'raw/entries']));
    expect(graph.parents('promote_dev_to_main')).toEqual(['branch_status']);
    expect(graph.parents('tag_release')).toEqual(['publish']);
    expect(Object.fromEntries(graph.assets().map((asset) => [asset.key, asset.group]))).toEqual({
      dev_branch: 'promotion',
      'raw/entries': 'ingest',
      'dbt/stg_entries': 'dbt',
      'dbt/fct_readings': 'dbt',
      'dbt/daily_glucose': 'dbt',
      branch_status: 'quality',
      promote_dev_to_main: 'promotion',
      publish: 'publish',
      tag_release: 'publish',
    });
    expect(graph.get('dbt/daily_glucose').kinds).toEqual(['dbt']);
  });

  it('attaches the blocking ingest check and the dbt source tests to raw/entries, dbt tests to the dbt models, SQL quality checks to branch_status', async () => {
    const { graph } = await loadProject();
    expect(graph.checksOf('raw/entries').map((c) => [c.name, c.severity, c.blocking])).toEqual([
      ['source_not_null_raw_entries_date', 'ERROR', true],
      ['source_not_null_raw_entries_id', 'ERROR', true],
      ['source_not_null_raw_entries_sgv', 'WARN', false],
      ['source_unique_raw_entries_id', 'ERROR', true],
      ['valid_readings', 'ERROR', true],
    ]);
    expect(graph.checksOf('dbt/daily_glucose').map((c) => [c.name, c.severity, c.blocking])).toEqual([
      ['assert_time_in_range_is_a_share', 'ERROR', true],
      ['daily_readings_complete', 'WARN', false],
      ['not_null_daily_glucose_day', 'ERROR', true],
      ['not_null_daily_glucose_mean_sgv', 'ERROR', true],
      ['not_null_daily_glucose_readings', 'ERROR', true],
      ['relationships_daily_glucose_day__read_date__ref_fct_readings_', 'WARN', false],
      ['unique_daily_glucose_day', 'ERROR', true],
    ]);
    expect(graph.checksOf('dbt/stg_entries')).toHaveLength(6);
    expect(graph.checksOf('dbt/fct_readings')).toHaveLength(4);
    expect(graph.checksOf('branch_status').map((c) => [c.name, c.severity, c.blocking])).toEqual([
      ['daily_glucose_day_unique', 'ERROR', true],
      ['daily_glucose_has_days', 'ERROR', true],
      ['daily_glucose_not_null', 'ERROR', true],
      ['raw_direction_known', 'WARN', false],
      ['raw_sgv_present', 'WARN', false],
      ['time_in_range_is_a_share', 'ERROR', true],
    ]);
  });

  it('partitions raw/entries by UTC day from 2024-10-01 and leaves the rest unpartitioned (they run once, whole, in a day\'s run)', async () => {
    const { graph } = await loadProject();
    expect(graph.get('raw/entries').partitions).toEqual({ kind: 'time-window', cadence: 'daily', start: '2024-10-01', timezone: 'UTC', endOffset: 0 });
    expect(graph.assets().filter((asset) => asset.partitions !== undefined).map((asset) => asset.key)).toEqual(['raw/entries']);
  });

  it('publishes by a 06:30 Europe/London deadline (a WARN from 06:15), the only policed asset', async () => {
    const { graph } = await loadProject();
    expect(graph.get('publish').deadline).toMatchObject({ cron: '30 6 * * *', timezone: 'Europe/London', warnBeforeMinutes: 15, partition: undefined });
    expect(graph.assets().filter((asset) => asset.deadline || asset.freshness).map((asset) => asset.key)).toEqual(['publish']);
  });

  it('exports frozen definitions whose resources are the warehouse (and publish) resources', async () => {
    const { assets, checks } = await loadProject();
    for (const { definition } of [...assets, ...checks]) {
      expect(Object.isFrozen(definition)).toBe(true);
      expect(Object.keys(definition.resources)).toContain('warehouse');
    }
    const publish = assets.find(({ definition }) => definition.key === 'publish')!.definition;
    expect(Object.values(publish.resources).map((r) => (r as { name: string }).name)).toEqual(['warehouse', 'publish']);
  });

  it("imports only 'sluice', 'zod', node builtins and its own modules", async () => {
    const all = new Set<string>();
    for (const file of await assetModules()) {
      const text = await readFile(file, 'utf8');
      const specifiers = [...text.matchAll(/\bfrom\s+'([^']+)'|\bimport\s*\(\s*'([^']+)'/g)].map((m) => m[1] ?? m[2]!);
      for (const specifier of specifiers) {
        all.add(specifier);
        const allowed = specifier === 'sluice' || specifier === 'zod' || specifier.startsWith('node:') || specifier.startsWith('./') || specifier.startsWith('../');
        expect(allowed, `${relative(ASSETS_DIR, file)} imports "${specifier}"`).toBe(true);
        if (specifier.startsWith('../')) expect(join(file, '..', specifier).startsWith(ASSETS_DIR)).toBe(true);
      }
    }
    expect([...all]).toEqual(expect.arrayContaining(['sluice', 'zod']));
  });
});
