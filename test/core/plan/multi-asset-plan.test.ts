import { describe, expect, it } from 'vitest';
import { defineMultiAsset } from '../../../src/core/asset/define-multi-asset.js';
import { dailyPartitions } from '../../../src/core/partitions/partitions-definition.js';
import { buildPlan, parseStepKey } from '../../../src/core/plan/execution-plan.js';
import { assertMultiAssetSubsets } from '../../../src/core/plan/multi-asset-subsets.js';
import { validateRunConfig } from '../../../src/core/plan/validate-run-config.js';
import { z } from 'zod';
import { graphOf, noop, passingCheck } from '../../fixtures/graph.js';

const multi = (name: string, specs: Array<{ key: string; deps?: string[] }>, extra: Partial<Parameters<typeof defineMultiAsset>[0]> = {}) =>
  defineMultiAsset({ name, specs, canSubset: true, materialize: () => {}, ...extra });

const shape = (keys: string[], graph: ReturnType<typeof graphOf>) => buildPlan(graph, new Set(keys)).steps.map((s) => [s.key, s.deps, s.assetKeys ?? null]);

describe('plans with multi-assets', () => {
  it('gives the selected keys of a multi-asset one step; steps outside depend on it, its separate checks follow it', () => {
    const m = multi('dbt', [{ key: 'd/a', deps: ['raw'] }, { key: 'd/b', deps: ['d/a'] }], { checks: [{ asset: 'd/a', name: 'own', blocking: true }] });
    const graph = graphOf([noop('raw'), ...m.assets, noop('mart', ['d/b'])], [passingCheck('d/b', 'extra', { blocking: true })]);
    expect(shape(['raw', 'd/a', 'd/b', 'mart'], graph)).toEqual([
      ['raw', [], null],
      ['@dbt', ['raw'], ['d/a', 'd/b']],
      ['d/b#extra', ['@dbt'], null],
      ['mart', ['@dbt', 'd/b#extra'], null],
    ]);
    // The multi-asset's own check is evaluated in its step: no step of its own, still a check of the asset.
    expect(graph.checksOf('d/a').map((c) => c.name)).toEqual(['own']);
  });

  it('splits where a step outside sits between two of its keys, and between two multi-assets that feed each other', () => {
    const m = multi('m', [{ key: 'a' }, { key: 'c', deps: ['x'] }]);
    const graph = graphOf([...m.assets, noop('x', ['a'])]);
    expect(shape(['a', 'x', 'c'], graph)).toEqual([
      ['@m', [], ['a']],
      ['x', ['@m'], null],
      ['@m~2', ['x'], ['c']],
    ]);
    // Only c selected: nothing between, one step.
    expect(shape(['a', 'c'], graph)).toEqual([['@m', [], ['a', 'c']]]);

    const one = multi('one', [{ key: 'p' }, { key: 'q', deps: ['s'] }]);
    const two = multi('two', [{ key: 's' }, { key: 't', deps: ['p'] }]);
    const both = graphOf([...one.assets, ...two.assets]);
    // p's step needs s (q depends on it); t needs p: three steps, in dependency order.
    expect(shape(['p', 'q', 's', 't'], both)).toEqual([
      ['@two', [], ['s']],
      ['@one', ['@two'], ['p', 'q']],
      ['@two~2', ['@one'], ['t']],
    ]);
  });

  it('parses multi-asset step keys', () => {
    expect(parseStepKey('@dbt_models~2')).toEqual({ key: '@dbt_models~2', kind: 'asset', assetKey: '', checkName: null, multi: 'dbt_models' });
    expect(parseStepKey('@dbt')).toMatchObject({ multi: 'dbt' });
  });

  it('refuses part of a multi-asset that cannot subset, naming what is missing', () => {
    const m = multi('all_or_none', [{ key: 'u' }, { key: 'v' }], { canSubset: false });
    const graph = graphOf([...m.assets]);
    expect(() => assertMultiAssetSubsets(graph, new Set(['u']))).toThrow(/selects u of multi-asset "all_or_none" but not v.*add key:v/);
    expect(() => assertMultiAssetSubsets(graph, new Set(['u', 'v']))).not.toThrow();
  });

  it('takes run config under the multi-asset name', () => {
    const m = multi('cfg', [{ key: 'k1' }], { config: z.object({ fullRefresh: z.boolean().default(false) }) });
    const graph = graphOf([...m.assets]);
    expect(validateRunConfig(graph, new Set(['k1']), { cfg: { fullRefresh: true } })).toEqual({ cfg: { fullRefresh: true } });
    expect(validateRunConfig(graph, new Set(['k1']), {})).toEqual({ cfg: { fullRefresh: false } });
    expect(() => validateRunConfig(graph, new Set(['k1']), { k1: {} })).toThrow(/its multi-asset takes it, as \{"cfg"/);
  });

  it('refuses specs with different partitions, checks on keys it does not make, and a name an asset has', () => {
    expect(() => multi('p', [{ key: 'x1', partitions: dailyPartitions({ start: '2024-01-01' }) } as never, { key: 'x2' }])).toThrow(/"x1" is partitioned but "x2" is not/);
    expect(() => multi('c', [{ key: 'y1' }], { checks: [{ asset: 'y2', name: 'n' }] })).toThrow(/check "n" is on "y2", which is not one of its specs/);
    const m = multi('taken', [{ key: 'z1' }]);
    expect(() => graphOf([...m.assets, noop('taken')])).toThrow(/multi-asset "taken" has the name of an asset/);
  });
});
