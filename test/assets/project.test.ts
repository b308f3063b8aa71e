import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AnyAssetDefinition } from '../../src/core/asset/asset-definition.js';
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
    for (const value of Object.values(module)) {
      const kind = (value as { kind?: unknown } | null)?.kind;
      if (kind === 'asset') assets.push({ definition: value as AnyAssetDefinition, source });
      if (kind === 'check') checks.push({ definition: value as AnyCheckDefinition, source });
    }
  }
  return { assets, checks, graph: AssetGraph.build(assets, checks) };
}

describe('the example project under assets/', () => {
  it('forms a valid graph: dev_branch -> raw/entries -> dbt/daily_glucose -> promote_dev_to_main -> publish', async () => {
    const { graph } = await loadProject();
    expect(graph.order).toEqual(['dev_branch', 'raw/entries', 'dbt/daily_glucose', 'promote_dev_to_main', 'publish']);
    expect(graph.parents('promote_dev_to_main')).toEqual(expect.arrayContaining(['dbt/daily_glucose', 'raw/entries']));
    expect(Object.fromEntries(graph.assets().map((asset) => [asset.key, asset.group]))).toEqual({
      dev_branch: 'promotion',
      'raw/entries': 'ingest',
      'dbt/daily_glucose': 'dbt',
      promote_dev_to_main: 'promotion',
      publish: 'publish',
    });
    expect(graph.get('dbt/daily_glucose').kinds).toEqual(['sql', 'postgres']);
  });

  it('attaches a blocking ERROR check to raw/entries and a WARN check to dbt/daily_glucose', async () => {
    const { graph } = await loadProject();
    expect(graph.checksOf('raw/entries').map((c) => [c.name, c.severity, c.blocking])).toEqual([['valid_readings', 'ERROR', true]]);
    expect(graph.checksOf('dbt/daily_glucose').map((c) => [c.name, c.severity, c.blocking])).toEqual([
      ['daily_readings_complete', 'WARN', false],
    ]);
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
