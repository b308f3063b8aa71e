import { describe, expect, it } from 'vitest';
import type { AutomationCondition } from '../../../src/core/automation/automation-condition.js';
import { eager, onCron, onMissing, sinceLastHandled } from '../../../src/core/automation/built-conditions.js';
import { evaluateAutomation, type AutomationEvaluation } from '../../../src/core/automation/evaluate-automation.js';
import { checkFailed, codeVersionChanged, executionFailed, inLatestTimeWindow, missing } from '../../../src/core/automation/operands.js';
import { and, anyChecksMatch, anyDepsMatch, newlyTrue, not, or } from '../../../src/core/automation/operators.js';
import { staticPartitions } from '../../../src/core/partitions/partitions-definition.js';
import { asset, cronTickBetween, daily, snapshot, type World } from './automation-fixtures.js';

const T = new Date('2030-01-10T10:30:00Z');
const d = daily('2030-01-01');
const regions = staticPartitions(['eu', 'us']);

/** Everything an evaluation shows and leaves, without the in-memory carry-over marks. */
const view = (e: AutomationEvaluation) => ({ requested: [...e.requested], assets: e.assets.map((a) => [a.asset, a.requested, a.tree, a.error]), cursor: e.cursor });

describe('carrying over settled assets', () => {
  const chain = [asset('a'), asset('b', ['a'], eager()), asset('c', ['b'], eager()), asset('x'), asset('y', ['x'], eager())];
  const world: World = { partitions: { a: { '': { id: 1 } }, b: { '': { id: 2 } }, c: { '': { id: 3 } }, x: { '': { id: 4 } }, y: { '': { id: 5 } } } };

  it('carries over an asset none of whose inputs changed, and evaluates again the ones downstream of a change', () => {
    const first = evaluateAutomation({ assets: chain, snapshot: snapshot(T, world), previous: undefined, cronTickBetween });
    const steady = evaluateAutomation({ assets: chain, snapshot: snapshot(new Date(T.getTime() + 60_000), world), previous: first.cursor, cronTickBetween, prior: { evaluation: first, changed: new Set() } });
    // The first evaluation is initial (nothing settles there): the second evaluates everything, and settles.
    expect(steady.assets.map((a) => [a.asset, a.carried ?? false, a.settled !== undefined])).toEqual([['b', false, true], ['c', false, true], ['y', false, true]]);
    const touched: World = { partitions: { ...world.partitions, a: { '': { id: 6 } } } };
    const next = evaluateAutomation({ assets: chain, snapshot: snapshot(new Date(T.getTime() + 120_000), touched), previous: steady.cursor, cronTickBetween, prior: { evaluation: steady, changed: new Set(['a']) } });
    expect(next.assets.map((a) => [a.asset, a.carried ?? false])).toEqual([['b', false], ['c', false], ['y', true]]);
    expect([...next.requested.keys()]).toEqual(['b', 'c']);
    // The carried tree is the one the settled evaluation left, which is what evaluating again gives.
    expect(next.assets[2]!.tree).toBe(steady.assets[2]!.tree);
  });

  it('ignores a prior evaluation that is not the one the cursor comes from', () => {
    const first = evaluateAutomation({ assets: chain, snapshot: snapshot(T, world), previous: undefined, cronTickBetween });
    const steady = evaluateAutomation({ assets: chain, snapshot: snapshot(new Date(T.getTime() + 60_000), world), previous: first.cursor, cronTickBetween });
    const next = evaluateAutomation({ assets: chain, snapshot: snapshot(new Date(T.getTime() + 120_000), world), previous: first.cursor, cronTickBetween, prior: { evaluation: steady, changed: new Set() } });
    expect(next.assets.some((a) => a.carried)).toBe(false);
  });

  it('gives, evaluation after evaluation, exactly what evaluating everything gives, through materializations, failures, runs, checks, code versions, new days and cron ticks', () => {
    const conditions: Record<string, AutomationCondition> = {
      eager: eager(),
      missing: onMissing(),
      cron: onCron('0 * * * *'),
      failed: and(inLatestTimeWindow(), sinceLastHandled(or(newlyTrue(executionFailed()), anyDepsMatch(not(missing())))), not(anyChecksMatch(checkFailed()))),
      code: and(codeVersionChanged(), not(missing())),
      lookback: and(inLatestTimeWindow(2 * 86_400_000), sinceLastHandled(newlyTrue(missing()))),
    };
    const names = Object.keys(conditions);
    const assets = [
      asset('r'),
      asset('rd', [], undefined, { partitions: d }),
      asset('rs', [], undefined, { partitions: regions }),
      ...Array.from({ length: 12 }, (_, i) => {
        const kind = i % 3;
        const deps = kind === 0 ? ['r', ...(i >= 3 ? [`n${i - 3}`] : [])] : kind === 1 ? ['rd', ...(i >= 3 ? [`n${i - 3}`] : [])] : ['rs'];
        return asset(`n${i}`, deps, conditions[names[i % names.length]!], {
          partitions: kind === 1 ? d : kind === 2 ? regions : undefined,
          checks: i % 4 === 0 ? ['rows'] : [],
          codeVersion: 'v1',
        });
      }),
    ];
    let seed = 7;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const state: Required<World> = { partitions: {}, inProgress: {}, checks: {} };
    let id = 0;
    let now = T;
    let fullPrevious: AutomationEvaluation | undefined;
    let incremental: AutomationEvaluation | undefined;
    let carried = 0;
    for (let step = 0; step < 60; step++) {
      const changed = new Set<string>();
      for (let n = Math.floor(random() * 3); n > 0; n--) {
        const target = assets[Math.floor(random() * assets.length)]!;
        const keys = target.partitions === d ? ['2030-01-0' + (1 + Math.floor(random() * 9)), lastDay(now)] : target.partitions === regions ? ['eu', 'us'] : [''];
        const key = keys[Math.floor(random() * keys.length)]!;
        const what = random();
        const parts = (state.partitions[target.key] ??= {});
        if (what < 0.5) parts[key] = { id: ++id };
        else if (what < 0.65) parts[key] = { ...parts[key], status: 'FAILED', materialized: parts[key]?.materialized ?? false };
        else if (what < 0.85) state.inProgress[target.key] = state.inProgress[target.key]?.length ? [] : [key];
        else ((state.checks[target.key] ??= {}).rows ??= {})[key] = random() < 0.5;
        changed.add(target.key);
      }
      if (step === 30) assets.forEach((a, i) => i % 2 === 1 && a.automation && (assets[i] = { ...a, codeVersion: 'v2' }));
      // Minutes mostly; sometimes past the hour (a cron tick) or a day (a new partition).
      now = new Date(now.getTime() + (random() < 0.15 ? 86_400_000 : random() < 0.3 ? 3_600_000 : 60_000));
      const input = { assets, snapshot: snapshot(now, state), cronTickBetween };
      const full = evaluateAutomation({ ...input, previous: fullPrevious?.cursor });
      incremental = evaluateAutomation({ ...input, previous: incremental?.cursor, ...(incremental ? { prior: { evaluation: incremental, changed } } : {}) });
      expect(view(incremental), `step ${step}`).toEqual(view(full));
      carried += incremental.assets.filter((a) => a.carried).length;
      fullPrevious = full;
    }
    // The comparison is worth something only if assets were carried over.
    expect(carried).toBeGreaterThan(50);
  });
});

function lastDay(now: Date): string {
  return new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
}
