import { describe, expect, it } from 'vitest';
import { dailyPartitions, defineAsset, defineMultiAsset, staticPartitions } from '../../src/index.js';
import { evaluateDeadline, evaluateFreshness } from '../../src/core/freshness/evaluate-freshness.js';

const noop = () => undefined;
const MIN = 60_000;

describe('freshness and deadline definitions', () => {
  it('keeps a valid policy and deadline frozen on the asset, and on a multi-asset spec', () => {
    const asset = defineAsset({ key: 'publish', freshness: { maxLagMinutes: 120, warnAfterMinutes: 60 }, deadline: { cron: '30 6 * * *', timezone: 'Europe/London' }, materialize: noop });
    expect(asset.freshness).toEqual({ maxLagMinutes: 120, warnAfterMinutes: 60 });
    expect(asset.deadline).toMatchObject({ cron: '30 6 * * *', timezone: 'Europe/London', partition: undefined });
    expect(Object.isFrozen(asset.deadline)).toBe(true);
    const multi = defineMultiAsset({ name: 'marts', specs: [{ key: 'marts/daily', freshness: { maxLagMinutes: 30 } }], materialize: noop });
    expect(multi.assets[0]!.freshness).toEqual({ maxLagMinutes: 30, warnAfterMinutes: undefined });
  });

  it('refuses malformed policies at definition, naming the field, the asset and what to write', () => {
    const bad = (extra: object) => () => defineAsset({ key: 'a', materialize: noop, ...extra });
    expect(bad({ freshness: { maxLagMinutes: 0 } })).toThrow(/freshness.maxLagMinutes must be a positive number of minutes \(got 0\) on asset "a"/);
    expect(bad({ freshness: { maxLagMinutes: 60, warnAfterMinutes: 90 } })).toThrow(/warnAfterMinutes must be a positive number of minutes below maxLagMinutes \(60\) \(got 90\)/);
    expect(bad({ freshness: { maxLag: 60 } })).toThrow(/freshness has unknown field\(s\) maxLag: use maxLagMinutes and warnAfterMinutes/);
    expect(bad({ deadline: { cron: '30 6 * *', timezone: 'UTC' } })).toThrow(/deadline.cron must be a cron pattern of 5 fields .* \(got "30 6 \* \*"\) on asset "a"/);
    expect(bad({ deadline: { cron: '30 6 * * *', timezone: 'Europe/Londn' } })).toThrow(/deadline.timezone must be an IANA time zone .* \(got "Europe\/Londn"\)/);
    expect(bad({ deadline: { cron: '30 6 * * *', timezone: 'UTC', partition: () => 'x' } })).toThrow(/deadline.partition is given but the asset is not partitioned; remove it/);
    expect(bad({ deadline: { cron: '30 6 * * *', timezone: 'UTC', warnBeforeMinutes: -5 } })).toThrow(/deadline.warnBeforeMinutes must be a positive number/);
    expect(() => defineMultiAsset({ name: 'm', specs: [{ key: 'm/a', freshness: { maxLagMinutes: -1 } }], materialize: noop })).toThrow(/freshness.maxLagMinutes .* on asset "m\/a"/);
  });
});

describe('evaluateFreshness', () => {
  const now = new Date('2031-03-10T12:00:00Z');
  const ago = (minutes: number) => new Date(now.getTime() - minutes * MIN);
  const asset = defineAsset({ key: 'a', freshness: { maxLagMinutes: 60, warnAfterMinutes: 30 }, materialize: noop });

  it('passes under warnAfter, warns from it, fails from maxLag; each violation keyed by the materialization it measures from', () => {
    const level = (minutes: number) => evaluateFreshness(asset, [{ partitionKey: '', materializedAt: ago(minutes) }], now)[0]!;
    expect(level(10)).toMatchObject({ level: 'PASS', violationKey: null, lagMinutes: 10 });
    expect(level(45)).toMatchObject({ level: 'WARN', violationKey: `freshness:a::${ago(45).toISOString()}:WARN` });
    expect(level(61)).toMatchObject({ level: 'FAIL', violationKey: `freshness:a::${ago(61).toISOString()}:FAIL` });
    expect(evaluateFreshness(asset, [], now)).toEqual([]);
  });

  it('measures a daily asset from the end of its newest materialized day, and a static one per key', () => {
    const daily = defineAsset({ key: 'd', partitions: dailyPartitions({ start: '2031-01-01' }), freshness: { maxLagMinutes: 36 * 60 }, materialize: noop });
    const days = [{ partitionKey: '2031-03-08', materializedAt: ago(5) }, { partitionKey: '2031-03-07', materializedAt: ago(1) }];
    // Newest day 03-08 ends 03-09T00:00Z: 36 h before now.
    expect(evaluateFreshness(daily, days, now)).toMatchObject([{ partitionKey: '', level: 'FAIL', lagMinutes: 36 * 60 }]);
    const regions = defineAsset({ key: 's', partitions: staticPartitions(['eu', 'us']), freshness: { maxLagMinutes: 60 }, materialize: noop });
    expect(evaluateFreshness(regions, [{ partitionKey: 'eu', materializedAt: ago(90) }, { partitionKey: 'us', materializedAt: ago(5) }], now).map((r) => [r.partitionKey, r.level])).toEqual([
      ['eu', 'FAIL'],
      ['us', 'PASS'],
    ]);
  });
});

describe('evaluateDeadline', () => {
  const tick = new Date('2031-03-10T06:30:00Z');
  const ticks = { previous: new Date('2031-03-09T06:30:00Z'), last: tick, next: new Date('2031-03-11T06:30:00Z') };

  it('requires of an unpartitioned asset a materialization after the previous tick; later it recovers, marked late', () => {
    const asset = defineAsset({ key: 'publish', deadline: { cron: '30 6 * * *', timezone: 'Europe/London' }, materialize: noop });
    const now = new Date('2031-03-10T06:31:00Z');
    expect(evaluateDeadline(asset, [{ partitionKey: '', materializedAt: new Date('2031-03-09T06:20:00Z') }], ticks, [], now)).toMatchObject([
      { partitionKey: '', level: 'FAIL', violationKey: `deadline:publish::${tick.toISOString()}:FAIL`, deadline: tick },
    ]);
    const late = evaluateDeadline(asset, [{ partitionKey: '', materializedAt: new Date('2031-03-10T06:40:00Z') }], ticks, [], new Date('2031-03-10T06:41:00Z'));
    expect(late).toMatchObject([{ level: 'PASS', violationKey: null }]);
    expect(late[0]!.summary).toMatch(/landed 10 min late/);
  });

  it('requires of a daily asset its newest partition at the tick (or the one `partition` names), warns before the next tick, and keeps an open violation until that partition lands', () => {
    const days = dailyPartitions({ start: '2031-01-01', timezone: 'Europe/London', endOffset: 1 });
    const asset = defineAsset({ key: 'd', partitions: days, deadline: { cron: '30 6 * * *', timezone: 'Europe/London', warnBeforeMinutes: 60 }, materialize: noop });
    const now = new Date('2031-03-11T05:45:00Z');
    const open = [{ partitionKey: '2031-03-09', deadline: new Date('2031-03-09T06:30:00Z') }];
    const results = evaluateDeadline(asset, [{ partitionKey: '2031-03-10', materializedAt: new Date('2031-03-10T06:00:00Z') }], ticks, open, now);
    expect(results.map((r) => [r.partitionKey, r.level])).toEqual([
      ['2031-03-09', 'FAIL'],
      ['2031-03-10', 'PASS'],
      ['2031-03-11', 'WARN'],
    ]);
    const chosen = defineAsset({ key: 'e', partitions: days, deadline: { cron: '30 6 * * *', timezone: 'Europe/London', partition: () => '2031-03-01' }, materialize: noop });
    expect(evaluateDeadline(chosen, [], ticks, [], now).map((r) => [r.partitionKey, r.level])).toEqual([['2031-03-01', 'FAIL']]);
    const future = defineAsset({ key: 'f', partitions: days, deadline: { cron: '30 6 * * *', timezone: 'Europe/London', partition: () => '2031-04-01' }, materialize: noop });
    expect(() => evaluateDeadline(future, [], ticks, [], now)).toThrow(/deadline.partition of asset "f" gave "2031-04-01" for the deadline 2031-03-10T06:30:00.000Z, which is not one of its partitions then/);
  });
});
