import { describe, expect, it } from 'vitest';
import { AssetGraph } from '../../../src/core/graph/asset-graph.js';
import { CycleError, DuplicateAssetError, UnknownDependencyError } from '../../../src/core/graph/graph-errors.js';
import { graphOf, noop, passingCheck } from '../../fixtures/graph.js';

const diamond = () => graphOf([noop('a'), noop('b', ['a']), noop('c', ['a']), noop('d', ['b', 'c']), noop('e')]);

describe('AssetGraph', () => {
  it('orders keys so every asset comes after its deps', () => {
    const graph = diamond();
    const pos = (k: string) => graph.order.indexOf(k);
    expect(graph.order).toHaveLength(5);
    expect(pos('a')).toBeLessThan(pos('b'));
    expect(pos('b')).toBeLessThan(pos('d'));
    expect(pos('c')).toBeLessThan(pos('d'));
  });

  it('walks upstream and downstream by breadth-first depth', () => {
    const graph = graphOf([noop('a'), noop('b', ['a']), noop('c', ['b']), noop('d', ['a', 'c'])]);
    expect([...graph.upstream(['d'], 1)].sort()).toEqual(['a', 'c', 'd']);
    expect([...graph.upstream(['d'])].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect([...graph.downstream(['a'], 1)].sort()).toEqual(['a', 'b', 'd']);
    expect([...graph.downstream(['b'])].sort()).toEqual(['b', 'c', 'd']);
  });

  it('finds roots and sinks within a set', () => {
    const graph = diamond();
    const set = new Set(['b', 'c', 'd']);
    expect([...graph.roots(set)].sort()).toEqual(['b', 'c']);
    expect([...graph.sinks(set)]).toEqual(['d']);
  });

  it('names both files of a duplicate key', () => {
    const build = () =>
      AssetGraph.build([
        { definition: noop('raw/entries'), source: 'assets/a.ts' },
        { definition: noop('raw/entries'), source: 'assets/b.ts' },
      ]);
    expect(build).toThrow(DuplicateAssetError);
    expect(build).toThrow('asset "raw/entries" is defined twice: in assets/a.ts and in assets/b.ts');
  });

  it('treats the same definition exported twice as one asset', () => {
    const a = noop('a');
    const graph = AssetGraph.build([{ definition: a, source: 'x.ts' }, { definition: a, source: 'y.ts' }]);
    expect(graph.keys()).toEqual(['a']);
  });

  it('suggests near names for an unknown dependency', () => {
    const build = () => graphOf([noop('stg_orders'), noop('mart', ['stg_ordrs'])]);
    expect(build).toThrow(UnknownDependencyError);
    expect(build).toThrow('asset "mart" depends on unknown asset "stg_ordrs" (did you mean "stg_orders"?)');
  });

  it('prints a cycle in dependency direction', () => {
    try {
      graphOf([noop('a', ['c']), noop('b', ['a']), noop('c', ['b']), noop('z')]);
      expect.fail('expected a cycle');
    } catch (error) {
      expect(error).toBeInstanceOf(CycleError);
      const cycle = (error as CycleError).cycle;
      expect(cycle[0]).toBe(cycle[cycle.length - 1]);
      expect(new Set(cycle)).toEqual(new Set(['a', 'b', 'c']));
      // each printed edge is "x feeds y": y depends on x
      const graphEdges = new Set(['a->b', 'b->c', 'c->a']);
      for (let i = 0; i + 1 < cycle.length; i++) expect(graphEdges.has(`${cycle[i]}->${cycle[i + 1]}`)).toBe(true);
      expect((error as Error).message).toMatch(/^the asset graph has a cycle: [abc] -> [abc] -> [abc] -> [abc];/);
    }
  });

  it('rejects a self-dependency as a cycle', () => {
    expect(() => graphOf([noop('a', ['a'])])).toThrow('the asset graph has a cycle: a -> a');
  });

  it('sorts a 50,000-asset chain without overflowing the stack', () => {
    const assets = Array.from({ length: 50_000 }, (_, i) => noop(`n${i}`, i === 0 ? [] : [`n${i - 1}`]));
    const graph = graphOf(assets);
    expect(graph.order[0]).toBe('n0');
    expect(graph.order[49_999]).toBe('n49999');
  });

  it('attaches checks to their assets and rejects checks on unknown assets', () => {
    const graph = graphOf([noop('a')], [passingCheck('a', 'z'), passingCheck('a', 'm')]);
    expect(graph.checksOf('a').map((c) => c.name)).toEqual(['m', 'z']);
    expect(() => graphOf([noop('orders')], [passingCheck('ordes', 'x')])).toThrow('check "x" targets unknown asset "ordes" (did you mean "orders"?)');
  });
});
