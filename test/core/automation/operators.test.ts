import { describe, expect, it } from 'vitest';
import { missing, newlyUpdated, inProgress } from '../../../src/core/automation/operands.js';
import { allDepsMatch, and, anyDepsMatch, newlyTrue, not, or, since } from '../../../src/core/automation/operators.js';
import { defineAsset } from '../../../src/core/asset/define-asset.js';
import { defineMultiAsset } from '../../../src/core/asset/define-multi-asset.js';
import { eager } from '../../../src/core/automation/built-conditions.js';
import { asset, daily, evaluate, requested } from './automation-fixtures.js';

const T = new Date('2030-01-10T10:30:00Z');
const later = (minutes: number) => new Date(T.getTime() + minutes * 60_000);

describe('automation operators', () => {
  it('and narrows, or unions, not complements', () => {
    const world = { partitions: { b: { '': { id: 1 } } }, inProgress: { c: [''] } };
    const assets = [
      asset('a', [], and(missing(), not(inProgress()))),
      asset('b', [], or(missing(), inProgress())),
      asset('c', [], or(missing(), inProgress())),
      asset('d', [], and(missing(), inProgress())),
    ];
    const result = evaluate(assets, T, world);
    expect(requested(result)).toEqual(['a', 'c']);
    const tree = result.assets.find((a) => a.asset === 'd')!.tree!;
    expect(tree.children.map((c) => [c.label, c.candidates, c.trueKeys])).toEqual([['missing', [''], ['']], ['in_progress', [''], []]]);
  });

  it('since is true from the trigger until the reset, and the reset wins when both are true', () => {
    const cond = since(newlyUpdated(), inProgress());
    const assets = [asset('a', [], cond)];
    const t0 = evaluate(assets, T);
    const triggered = evaluate(assets, later(1), { partitions: { a: { '': { id: 1 } } } }, t0.cursor);
    const held = evaluate(assets, later(2), { partitions: { a: { '': { id: 1 } } } }, triggered.cursor);
    const reset = evaluate(assets, later(3), { partitions: { a: { '': { id: 1 } } }, inProgress: { a: [''] } }, held.cursor);
    const both = evaluate(assets, later(4), { partitions: { a: { '': { id: 2 } } }, inProgress: { a: [''] } }, reset.cursor);
    expect([t0, triggered, held, reset, both].map(requested)).toEqual([[], ['a'], ['a'], [], []]);
  });

  it('newly_true is true only at the evaluation where its operand turns true', () => {
    const assets = [asset('a', [], newlyTrue(inProgress()))];
    const off = evaluate(assets, T);
    const on = evaluate(assets, later(1), { inProgress: { a: [''] } }, off.cursor);
    const still = evaluate(assets, later(2), { inProgress: { a: [''] } }, on.cursor);
    expect([off, on, still].map(requested)).toEqual([[], ['a'], []]);
  });

  it('any/all_deps_match map a partitioned child onto its deps (identity) and an unpartitioned child onto every dep partition', () => {
    const d = daily('2030-01-07');
    const world = { partitions: { x: { '2030-01-07': { id: 1 }, '2030-01-08': { id: 2 } }, y: { '2030-01-08': { id: 3 } } } };
    const assets = [
      asset('x', [], undefined, { partitions: d }),
      asset('y', [], undefined, { partitions: d }),
      asset('any', ['x', 'y'], anyDepsMatch(missing()), { partitions: d }),
      asset('all', ['x', 'y'], allDepsMatch(not(missing())), { partitions: d }),
      asset('whole', ['x'], anyDepsMatch(missing())),
      asset('none', [], allDepsMatch(missing())),
      asset('noneAny', [], anyDepsMatch(missing())),
    ];
    const result = evaluate(assets, T, world);
    expect(requested(result)).toEqual(['all@2030-01-08', 'any@2030-01-07', 'any@2030-01-09', 'none', 'whole']);
  });

  it('defineAsset keeps a condition and refuses what is not one', () => {
    const cond = and(missing(), not(inProgress()));
    expect(defineAsset({ key: 'k', automation: cond, materialize: () => {} }).automation).toBe(cond);
    expect(() => defineAsset({ key: 'k', automation: { kind: 'eager' } as never, materialize: () => {} })).toThrow(/automation of asset "k".*eager\(\)/);
    const multi = defineMultiAsset({ name: 'm', specs: [{ key: 'x', automation: eager() }, { key: 'y' }], materialize: () => {} });
    expect(multi.assets.map((a) => a.automation?.label ?? null)).toEqual(['eager', null]);
  });
});
