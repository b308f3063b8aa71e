import { describe, expect, it } from 'vitest';
import { layoutLineage } from '../../src/web/lineage-layout.js';
import { graphOf, noop } from '../fixtures/graph.js';

describe('layoutLineage', () => {
  it('puts each asset one column right of its deepest parent and keeps a column\u2019s groups together', () => {
    const layout = layoutLineage(graphOf([noop('a', [], { group: 'x' }), noop('b', ['a'], { group: 'y' }), noop('c', ['a'], { group: 'x' }), noop('d', ['b', 'c', 'a'])]));
    const at = new Map(layout.nodes.map((n) => [n.key, n]));
    const column = (k: string) => at.get(k)!.x / (layout.nodeWidth + 90);
    expect(['a', 'b', 'c', 'd'].map(column)).toEqual([0, 1, 1, 2]);
    // Groups sorted: x before y within column 1.
    expect(at.get('c')!.y).toBeLessThan(at.get('b')!.y);
    expect(layout.edges).toHaveLength(5);
    expect(layout.groups).toEqual(['default', 'x', 'y']);
  });

  it('lays out 10,000 assets with every edge pointing right and no two nodes on one spot', () => {
    const assets = Array.from({ length: 10_000 }, (_, i) => noop(`n${i}`, i < 100 ? [] : [`n${(i * 7919) % i}`, `n${i - 1 - (i % 50)}`].filter((d, k, all) => all.indexOf(d) === k)));
    const layout = layoutLineage(graphOf(assets));
    expect(layout.nodes).toHaveLength(10_000);
    for (const [from, to] of layout.edges) expect(layout.nodes[from]!.x).toBeLessThan(layout.nodes[to]!.x);
    expect(new Set(layout.nodes.map((n) => `${n.x},${n.y}`)).size).toBe(10_000);
  });
});
