import { describe, expect, it } from 'vitest';
import { AssetGraph } from '../../../src/core/graph/asset-graph.js';
import { CycleError, DuplicateAssetError, PartitionMappingError, UnknownDependencyError } from '../../../src/core/graph/graph-errors.js';
import {
  allPartitionsMapping,
  dailyPartitions,
  hourlyPartitions,
  identityPartitionMapping,
  staticPartitions,
  timeWindowPartitionMapping,
} from '../../../src/core/partitions/index.js';
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

describe('AssetGraph.collect', () => {
  it('reports every independent problem of one graph, each as build would throw it alone', () => {
    const daily = dailyPartitions({ start: '2024-10-01' });
    const assets = [
      { definition: noop('raw/entries'), source: 'assets/a.ts' },
      { definition: noop('raw/entries'), source: 'assets/b.ts' },
      { definition: noop('mart', ['raw/entrie']), source: 'assets/mart.ts' },
      { definition: noop('x', ['y']), source: 'assets/xy.ts' },
      { definition: noop('y', ['x']), source: 'assets/xy.ts' },
      { definition: noop('days', [], { partitions: daily }), source: 'assets/days.ts' },
      { definition: noop('hours', ['days'], { partitions: staticPartitions(['eu']), partitionMappings: { days: identityPartitionMapping() } }), source: 'assets/hours.ts' },
    ];
    const checks = [{ definition: passingCheck('nope', 'c'), source: 'assets/checks.ts' }];
    const { graph, problems } = AssetGraph.collect(assets, checks);
    expect(problems.map((p) => p.code)).toEqual(['DUPLICATE_ASSET', 'UNKNOWN_DEPENDENCY', 'INVALID_PARTITION_MAPPING', 'UNKNOWN_CHECK_ASSET', 'DEPENDENCY_CYCLE']);
    expect(problems[1]!.message).toBe('asset "mart" (assets/mart.ts) depends on unknown asset "raw/entrie" (did you mean "raw/entries"?)');
    expect(problems[4]!.message).toMatch(/^the asset graph has a cycle: [xy] -> [xy] -> [xy];/);
    // build throws the first of them, with the same message
    expect(() => AssetGraph.build(assets, checks)).toThrow(problems[0]!.message);
    // the best-effort graph still answers questions about what is well-formed
    expect(graph.keys()).toEqual(['days', 'hours', 'mart', 'raw/entries', 'x', 'y']);
    expect(graph.parents('mart')).toEqual([]);
    expect([...graph.downstream(['x'])].sort()).toEqual(['x', 'y']);
    expect(graph.order).toHaveLength(6);
  });

  it('reports nothing and builds the same graph as build for a valid project', () => {
    const assets = [noop('a'), noop('b', ['a'])].map((definition) => ({ definition, source: 'assets/x.ts' }));
    const { graph, problems } = AssetGraph.collect(assets);
    expect(problems).toEqual([]);
    expect(graph.order).toEqual(AssetGraph.build(assets).order);
    expect(graph.children('a')).toEqual(['b']);
  });

  it('reports each cycle the walk closes, not only the first', () => {
    const { problems } = AssetGraph.collect([noop('a', ['b']), noop('b', ['a']), noop('c', ['d']), noop('d', ['c']), noop('e', ['e'])].map((definition) => ({ definition })));
    expect(problems.map((p) => (p.data as { cycle: string[] }).cycle.slice(0, -1).sort().join(','))).toEqual(['a,b', 'c,d', 'e']);
  });
});

describe('AssetGraph partition mappings', () => {
  const daily = dailyPartitions({ start: '2024-10-01' });
  const laterDaily = dailyPartitions({ start: '2024-10-02' });

  it('defaults to identity between partitioned assets and all otherwise, and returns explicit mappings', () => {
    const previousDay = timeWindowPartitionMapping({ startOffset: -1, endOffset: -1 });
    const graph = graphOf([
      noop('raw', [], { partitions: daily }),
      noop('stg', ['raw'], { partitions: daily }),
      noop('lag', ['raw'], { partitions: daily, partitionMappings: { raw: previousDay } }),
      noop('report', ['raw']),
      noop('lookup'),
      noop('joined', ['lookup'], { partitions: daily }),
    ]);
    expect(graph.partitionMapping('stg', 'raw')).toEqual({ kind: 'identity' });
    expect(graph.partitionMapping('lag', 'raw')).toEqual(previousDay);
    expect(graph.partitionMapping('report', 'raw')).toEqual({ kind: 'all' });
    expect(graph.partitionMapping('joined', 'lookup')).toEqual({ kind: 'all' });
  });

  it('rejects the default identity mapping between different definitions, naming both and the fixes', () => {
    const build = () =>
      AssetGraph.build([
        { definition: noop('raw', [], { partitions: daily }), source: 'assets/raw.ts' },
        { definition: noop('stg', ['raw'], { partitions: laterDaily }), source: 'assets/stg.ts' },
      ]);
    expect(build).toThrow(PartitionMappingError);
    expect(build).toThrow(
      'asset "stg" (assets/stg.ts) depends on "raw" but their partitions differ for the default (identity) partition mapping: "stg" is daily from 2024-10-02 (UTC) and "raw" is daily from 2024-10-01 (UTC)',
    );
    expect(build).toThrow(/timeWindowPartitionMapping\(.*allPartitionsMapping\(\)/);
  });

  it('rejects an explicit identity mapping between static and daily partitions', () => {
    const build = () =>
      graphOf([noop('raw', [], { partitions: staticPartitions(['eu']) }), noop('stg', ['raw'], { partitions: daily, partitionMappings: { raw: identityPartitionMapping() } })]);
    expect(build).toThrow('their partitions differ for the identity partition mapping: "stg" is daily from 2024-10-01 (UTC) and "raw" is static: eu');
  });

  it('accepts a time-window mapping between time windows of one cadence, even with different starts', () => {
    const graph = graphOf([
      noop('raw', [], { partitions: daily }),
      noop('stg', ['raw'], { partitions: laterDaily, partitionMappings: { raw: timeWindowPartitionMapping() } }),
    ]);
    expect(graph.partitionMapping('stg', 'raw').kind).toBe('time-window');
  });

  it('rejects a time-window mapping across cadences or onto static partitions', () => {
    const hourly = hourlyPartitions({ start: '2024-10-01-00:00' });
    expect(() =>
      graphOf([noop('raw', [], { partitions: hourly }), noop('stg', ['raw'], { partitions: daily, partitionMappings: { raw: timeWindowPartitionMapping() } })]),
    ).toThrow('needs daily or hourly partitions of one cadence on both: "stg" is daily from 2024-10-01 (UTC) and "raw" is hourly from 2024-10-01-00:00 (UTC)');
    expect(() =>
      graphOf([
        noop('raw', [], { partitions: staticPartitions(['eu']) }),
        noop('stg', ['raw'], { partitions: daily, partitionMappings: { raw: timeWindowPartitionMapping() } }),
      ]),
    ).toThrow(PartitionMappingError);
  });

  it('rejects an explicit identity or time-window mapping to or from an unpartitioned asset', () => {
    expect(() => graphOf([noop('raw'), noop('stg', ['raw'], { partitions: daily, partitionMappings: { raw: identityPartitionMapping() } })])).toThrow(
      'needs both to be partitioned and raw is not',
    );
    expect(() => graphOf([noop('raw', [], { partitions: daily }), noop('stg', ['raw'], { partitionMappings: { raw: timeWindowPartitionMapping() } })])).toThrow(
      'needs both to be partitioned and stg is not',
    );
  });

  it('accepts the all mapping between any partitions', () => {
    const graph = graphOf([
      noop('raw', [], { partitions: staticPartitions(['eu', 'us']) }),
      noop('stg', ['raw'], { partitions: daily, partitionMappings: { raw: allPartitionsMapping() } }),
    ]);
    expect(graph.partitionMapping('stg', 'raw')).toEqual({ kind: 'all' });
  });
});
