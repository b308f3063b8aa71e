import { describe, expect, it } from 'vitest';
import { eager, onCron, onMissing } from '../../../src/core/automation/built-conditions.js';
import { formatEvaluationTree } from '../../../src/core/automation/format-evaluation-tree.js';
import { asset, daily, evaluate, requested } from './automation-fixtures.js';

const T = new Date('2030-01-10T10:30:00Z');
const later = (minutes: number) => new Date(T.getTime() + minutes * 60_000);

describe('eager, onCron, onMissing', () => {
  const chain = [asset('a'), asset('b', ['a'], eager()), asset('c', ['b'], eager())];

  it('eager requests nothing at its first evaluation, then the whole chain once its root is materialized, then nothing again', () => {
    const first = evaluate(chain, T);
    const updated = evaluate(chain, later(1), { partitions: { a: { '': { id: 1 } } } }, first.cursor);
    const after = evaluate(chain, later(2), { partitions: { a: { '': { id: 1 } } }, inProgress: { b: [''], c: [''] } }, updated.cursor);
    const done = evaluate(chain, later(3), { partitions: { a: { '': { id: 1 } }, b: { '': { id: 2 } }, c: { '': { id: 3 } } } }, after.cursor);
    expect([first, updated, after, done].map(requested)).toEqual([[], ['b', 'c'], [], []]);
  });

  it('eager waits while a dep is missing or in progress', () => {
    const first = evaluate(chain, T);
    const running = evaluate(chain, later(1), { partitions: { a: { '': { id: 1 } } }, inProgress: { a: [''] } }, first.cursor);
    expect(requested(running)).toEqual([]);
    const free = evaluate(chain, later(2), { partitions: { a: { '': { id: 1 } } } }, running.cursor);
    expect(requested(free)).toEqual(['b', 'c']);
  });

  it('why: the tree says which part of eager held an asset back', () => {
    const first = evaluate(chain, T);
    const running = evaluate(chain, later(1), { partitions: { a: { '': { id: 1 } } }, inProgress: { a: [''] } }, first.cursor);
    const lines = formatEvaluationTree(running.assets.find((a) => a.asset === 'b')!.tree!);
    expect(lines[0]).toBe('- eager: false');
    expect(lines).toContain('      - any_deps_updated: true');
    expect(lines).toContain('  - not: false');
    expect(lines).toContain('      - in_progress [dep a]: true');
  });

  it('eager on a daily chain requests the new day of b and c together once its dep partition lands, and never older days', () => {
    const d = daily('2030-01-01');
    const assets = [asset('a', [], undefined, { partitions: d }), asset('b', ['a'], eager(), { partitions: d }), asset('c', ['b'], eager(), { partitions: d })];
    const day = (n: number) => new Date(Date.UTC(2030, 0, n, 1));
    const aUpTo = (last: number, from = 1) => Object.fromEntries(Array.from({ length: last - from + 1 }, (_, i) => [`2030-01-${String(from + i).padStart(2, '0')}`, { id: from + i }]));
    const first = evaluate(assets, day(10), { partitions: { a: aUpTo(9) } });
    const waiting = evaluate(assets, day(11), { partitions: { a: aUpTo(9) } }, first.cursor);
    const landed = evaluate(assets, day(11), { partitions: { a: aUpTo(10) } }, waiting.cursor);
    const handled = evaluate(assets, day(11), { partitions: { a: aUpTo(10) } }, landed.cursor);
    expect([first, waiting, landed, handled].map(requested)).toEqual([[], [], ['b@2030-01-10', 'c@2030-01-10'], []]);
    // why, for one partition: b's new day waited for its dep partition.
    const lines = formatEvaluationTree(waiting.assets.find((a) => a.asset === 'b')!.tree!, '2030-01-10');
    expect(lines.slice(0, 3)).toEqual(['- eager: false', '  - in_latest_time_window: true', '  - since_last_handled: true']);
    expect(lines).toContain('    - any_deps_missing: true');
    expect(formatEvaluationTree(waiting.assets.find((a) => a.asset === 'b')!.tree!, '2030-01-03')[1]).toBe('  - in_latest_time_window: false');
  });

  it('onCron requests once per tick, after every dep was updated since the tick', () => {
    const assets = [asset('a'), asset('b', ['a'], onCron('0 * * * *'))];
    const first = evaluate(assets, T); // 10:30
    const tick = evaluate(assets, later(35), { partitions: { a: { '': { id: 1 } } } }, first.cursor); // 11:05, a updated in the same evaluation as the tick
    const depUpdated = evaluate(assets, later(40), { partitions: { a: { '': { id: 2 } } } }, tick.cursor); // 11:10
    const handled = evaluate(assets, later(45), { partitions: { a: { '': { id: 3 } } } }, depUpdated.cursor); // 11:15
    expect([first, tick, depUpdated, handled].map(requested)).toEqual([[], [], ['b'], []]);
  });

  it('onMissing requests a new daily partition once, when its dep partition is there', () => {
    const d = daily('2030-01-01');
    const assets = [asset('a', [], undefined, { partitions: d }), asset('b', ['a'], onMissing(), { partitions: d })];
    const day = (n: number) => new Date(Date.UTC(2030, 0, n, 1));
    const partitionsOfA = (last: number) => Object.fromEntries(Array.from({ length: last }, (_, i) => [`2030-01-${String(i + 1).padStart(2, '0')}`, { id: i + 1 }]));
    const first = evaluate(assets, day(10), { partitions: { a: partitionsOfA(9) } });
    const depMissing = evaluate(assets, day(11), { partitions: { a: partitionsOfA(9) } }, first.cursor);
    const next = evaluate(assets, day(11), { partitions: { a: partitionsOfA(10) } }, depMissing.cursor);
    expect([first, depMissing].map(requested)).toEqual([[], []]);
    // The new partition became missing at depMissing, and stays requested-to-be until handled.
    expect(requested(next)).toEqual(['b@2030-01-10']);
    const handled = evaluate(assets, day(11), { partitions: { a: partitionsOfA(10) } }, next.cursor);
    expect(requested(handled)).toEqual([]);
  });
});
