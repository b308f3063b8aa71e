import { describe, expect, it } from 'vitest';
import { parseSelection, resolveSelection, selectAssets } from '../../../src/core/selection/index.js';
import { DAGSTER_CASES, DIAMOND_CASES, LEGACY_CASES, SHOP_CASES } from './cases.js';
import { dagsterExampleGraph, diamondGraph, shopGraph } from './graphs.js';

const sorted = (keys: Iterable<string>): string[] => [...keys].sort();

describe('selectAssets', () => {
  const shop = shopGraph();
  it.each(SHOP_CASES)('selects %j', (expression, keys) => {
    expect(sorted(selectAssets(expression, shop))).toEqual(keys);
  });

  it.each(LEGACY_CASES)('selects legacy %j', (expression, keys) => {
    expect(sorted(selectAssets(expression, shop))).toEqual(keys);
  });

  const diamond = diamondGraph();
  it.each(DIAMOND_CASES)('walks %j breadth-first', (expression, keys) => {
    expect(sorted(selectAssets(expression, diamond))).toEqual(keys);
  });

  const dagster = dagsterExampleGraph();
  it.each(DAGSTER_CASES)("selects Dagster's example %j", (expression, keys) => {
    expect(sorted(selectAssets(expression, dagster))).toEqual(keys);
  });
});

describe('resolveSelection', () => {
  it('resolves one parsed tree against different graphs', () => {
    const node = parseSelection('key:a+1');
    expect(sorted(resolveSelection(node, diamondGraph()))).toEqual(['a', 'b', 'c']);
    expect(() => resolveSelection(node, shopGraph())).toThrow(/unknown asset "a"/);
  });

  it('returns a fresh set the caller may change', () => {
    const graph = diamondGraph();
    const node = parseSelection('key:a');
    resolveSelection(node, graph).add('zzz');
    expect(sorted(resolveSelection(node, graph))).toEqual(['a']);
  });
});
