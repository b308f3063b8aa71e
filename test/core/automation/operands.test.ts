import { describe, expect, it } from 'vitest';
import {
  checkFailed,
  checkPassed,
  codeVersionChanged,
  cronTickPassed,
  executionFailed,
  inLatestTimeWindow,
  initialEvaluation,
  inProgress,
  missing,
  newlyRequested,
  newlyUpdated,
  willBeRequested,
} from '../../../src/core/automation/operands.js';
import { anyChecksMatch, allChecksMatch, anyDepsMatch } from '../../../src/core/automation/operators.js';
import { asset, daily, evaluate, requested } from './automation-fixtures.js';

const T = new Date('2030-01-10T10:30:00Z');
const later = (minutes: number) => new Date(T.getTime() + minutes * 60_000);

describe('automation operands', () => {
  it('missing is true only for partitions never materialized (a failure after a success is not missing)', () => {
    const assets = [asset('a', [], missing()), asset('b', [], missing()), asset('c', [], missing())];
    const result = evaluate(assets, T, { partitions: { b: { '': { id: 1 } }, c: { '': { status: 'FAILED', materialized: true } } } });
    expect(requested(result)).toEqual(['a']);
  });

  it('in_progress and execution_failed read the runs in progress and the latest outcome', () => {
    const assets = [asset('a', [], inProgress()), asset('b', [], executionFailed()), asset('c', [], executionFailed())];
    const result = evaluate(assets, T, { inProgress: { a: [''] }, partitions: { b: { '': { status: 'FAILED', materialized: false } }, c: { '': { id: 2 } } } });
    expect(requested(result)).toEqual(['a', 'b']);
  });

  it('newly_updated is false at the first evaluation and true for a materialization after the cursor', () => {
    const assets = [asset('a', [], newlyUpdated()), asset('b', [], newlyUpdated())];
    const first = evaluate(assets, T, { partitions: { a: { '': { id: 4 } } } });
    expect(requested(first)).toEqual([]);
    const second = evaluate(assets, later(1), { partitions: { a: { '': { id: 4 } }, b: { '': { id: 5 } } } }, first.cursor);
    expect(requested(second)).toEqual(['b']);
    expect(second.cursor.lastEventId).toBe(5);
  });

  it('newly_requested is true for what the previous evaluation requested', () => {
    const assets = [asset('a', [], missing()), asset('b', [], newlyRequested())];
    const first = evaluate(assets, T);
    const second = evaluate([asset('a', [], missing()), asset('b', ['a'], anyDepsMatch(newlyRequested()))], later(1), {}, first.cursor);
    expect(requested(first)).toEqual(['a']);
    expect(requested(second)).toEqual(['a', 'b']);
  });

  it('code_version_changed is true when the code version differs from the previous evaluation', () => {
    const first = evaluate([asset('a', [], codeVersionChanged(), { codeVersion: 'v1' })], T);
    const same = evaluate([asset('a', [], codeVersionChanged(), { codeVersion: 'v1' })], later(1), {}, first.cursor);
    const changed = evaluate([asset('a', [], codeVersionChanged(), { codeVersion: 'v2' })], later(2), {}, same.cursor);
    expect([requested(first), requested(same), requested(changed)]).toEqual([[], [], ['a']]);
  });

  it('initial_evaluation is true at the first evaluation and again when the condition changes', () => {
    const first = evaluate([asset('a', [], initialEvaluation())], T);
    const second = evaluate([asset('a', [], initialEvaluation())], later(1), {}, first.cursor);
    const changed = evaluate([asset('a', [], initialEvaluation(), {})].map((a) => ({ ...a, automation: { ...initialEvaluation(), label: 'renamed' } })), later(2), {}, second.cursor);
    expect([requested(first), requested(second), requested(changed)]).toEqual([['a'], [], ['a']]);
  });

  it('cron_tick_passed is true when a tick fell between the previous evaluation and now', () => {
    const assets = [asset('a', [], cronTickPassed('0 * * * *', 'UTC'))];
    const first = evaluate(assets, T); // 10:30, no previous evaluation
    const noTick = evaluate(assets, later(20), {}, first.cursor); // 10:50
    const tick = evaluate(assets, later(40), {}, noTick.cursor); // 11:10
    expect([requested(first), requested(noTick), requested(tick)]).toEqual([[], [], ['a']]);
  });

  it('in_latest_time_window keeps the latest daily partition, or those ending within the lookback', () => {
    const d = daily('2030-01-01');
    const result = evaluate([asset('a', [], inLatestTimeWindow(), { partitions: d }), asset('b', [], inLatestTimeWindow(3 * 86_400_000), { partitions: d }), asset('c', [], inLatestTimeWindow())], T);
    expect(requested(result)).toEqual(['a@2030-01-09', 'b@2030-01-07', 'b@2030-01-08', 'b@2030-01-09', 'c']);
  });

  it('will_be_requested sees a dep this evaluation requests, not the asset itself', () => {
    const result = evaluate([asset('a', [], missing()), asset('b', ['a'], anyDepsMatch(willBeRequested())), asset('c', [], willBeRequested())], T);
    expect(requested(result)).toEqual(['a', 'b']);
  });

  it('check_passed and check_failed read each check inside any/all_checks_match', () => {
    const world = { checks: { a: { rows: { '': true }, fresh: { '': false } }, b: { rows: { '': true } } } };
    const assets = [
      asset('a', [], anyChecksMatch(checkFailed()), { checks: ['rows', 'fresh'] }),
      asset('b', [], allChecksMatch(checkPassed()), { checks: ['rows'] }),
      asset('c', [], allChecksMatch(checkPassed()), { checks: ['rows'] }),
      asset('d', [], checkPassed('rows'), { checks: ['rows'] }),
    ];
    expect(requested(evaluate(assets, T, world))).toEqual(['a', 'b']);
  });
});
