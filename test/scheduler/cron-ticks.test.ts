import { describe, expect, it } from 'vitest';
import { CronTicks, InvalidCronError } from '../../src/scheduler/cron-ticks.js';
import { formatInZone } from '../../src/core/time/zone-clock.js';

/** The next `n` ticks after `from`, as ISO-8601 in the schedule's zone. */
function next(cron: string, timezone: string, from: string, n: number): string[] {
  const ticks = new CronTicks(cron, timezone);
  return ticks.next(n, new Date(from)).map((t) => formatInZone(timezone, t.getTime()));
}

function utc(cron: string, timezone: string, from: string, n: number): string[] {
  return new CronTicks(cron, timezone).next(n, new Date(from)).map((t) => t.toISOString());
}

describe('CronTicks', () => {
  it('daily 06:00 Europe/London follows GMT in winter and BST in summer', () => {
    expect(next('0 6 * * *', 'Europe/London', '2026-11-22T12:00:00Z', 3)).toEqual([
      '2026-11-23T06:00:00+00:00',
      '2026-11-24T06:00:00+00:00',
      '2026-11-25T06:00:00+00:00',
    ]);
    expect(next('0 6 * * *', 'Europe/London', '2026-03-27T12:00:00Z', 3)).toEqual([
      '2026-03-28T06:00:00+00:00',
      '2026-03-29T06:00:00+01:00',
      '2026-03-30T06:00:00+01:00',
    ]);
    expect(utc('0 6 * * *', 'Europe/London', '2026-05-31T12:00:00Z', 1)).toEqual(['2026-06-01T05:00:00.000Z']);
  });

  it('runs a daily 01:30 Europe/London exactly once on the spring-forward day, at 02:00 BST when the clocks jump', () => {
    // 2026-03-29: 01:00 GMT becomes 02:00 BST, so 01:30 does not exist.
    const ticks = next('30 1 * * *', 'Europe/London', '2026-03-27T12:00:00Z', 4);
    expect(ticks).toEqual(['2026-03-28T01:30:00+00:00', '2026-03-29T02:00:00+01:00', '2026-03-30T01:30:00+01:00', '2026-03-31T01:30:00+01:00']);
    expect(ticks.filter((t) => t.startsWith('2026-03-29'))).toHaveLength(1);
    expect(utc('30 1 * * *', 'Europe/London', '2026-03-28T12:00:00Z', 1)).toEqual(['2026-03-29T01:00:00.000Z']);
  });

  it('runs a daily 01:30 Europe/London exactly once on the fall-back day, at the first 01:30 (BST)', () => {
    // 2026-10-25: 02:00 BST becomes 01:00 GMT, so 01:30 happens twice (00:30Z and 01:30Z).
    expect(utc('30 1 * * *', 'Europe/London', '2026-10-23T12:00:00Z', 4)).toEqual([
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
      '2026-10-27T01:30:00.000Z',
    ]);
    // Asked from inside the repeated hour (01:10 GMT, after the first 01:30 passed): no second 01:30.
    expect(next('30 1 * * *', 'Europe/London', '2026-10-25T01:10:00Z', 1)).toEqual(['2026-10-26T01:30:00+00:00']);
  });

  it('keeps sub-daily patterns strictly increasing through both London transitions', () => {
    expect(next('*/30 * * * *', 'Europe/London', '2026-03-29T00:10:00Z', 4)).toEqual([
      '2026-03-29T00:30:00+00:00',
      // 01:00 and 01:30 do not exist: they collapse into the jump at 02:00 BST.
      '2026-03-29T02:00:00+01:00',
      '2026-03-29T02:30:00+01:00',
      '2026-03-29T03:00:00+01:00',
    ]);
    expect(next('*/30 * * * *', 'Europe/London', '2026-10-25T00:10:00Z', 3)).toEqual([
      '2026-10-25T01:30:00+01:00',
      // The repeated 01:00-01:59 (GMT) already happened once, in BST.
      '2026-10-25T02:00:00+00:00',
      '2026-10-25T02:30:00+00:00',
    ]);
    const seconds = new CronTicks('* * * * * *', 'Europe/London').next(5, new Date('2026-10-25T00:59:58Z'));
    expect(seconds.map((t) => t.toISOString())).toEqual([
      '2026-10-25T00:59:59.000Z',
      '2026-10-25T02:00:00.000Z',
      '2026-10-25T02:00:01.000Z',
      '2026-10-25T02:00:02.000Z',
      '2026-10-25T02:00:03.000Z',
    ]);
  });

  it('is exact in a half-hour zone (Asia/Kolkata, +05:30)', () => {
    expect(next('0 9 * * *', 'Asia/Kolkata', '2026-03-27T12:00:00Z', 2)).toEqual(['2026-03-28T09:00:00+05:30', '2026-03-29T09:00:00+05:30']);
    expect(utc('0 9 * * *', 'Asia/Kolkata', '2026-03-27T12:00:00Z', 1)).toEqual(['2026-03-28T03:30:00.000Z']);
    expect(next('*/15 0 * * *', 'Asia/Kolkata', '2026-06-30T18:20:00Z', 3)).toEqual(['2026-07-01T00:00:00+05:30', '2026-07-01T00:15:00+05:30', '2026-07-01T00:30:00+05:30']);
  });

  it('counts ticks strictly after the reference instant, with second precision for 6-field patterns', () => {
    expect(utc('0 6 * * *', 'UTC', '2026-01-01T06:00:00Z', 1)).toEqual(['2026-01-02T06:00:00.000Z']);
    expect(utc('* * * * * *', 'UTC', '2026-01-01T00:00:00.500Z', 2)).toEqual(['2026-01-01T00:00:01.000Z', '2026-01-01T00:00:02.000Z']);
  });

  it('gives the most recent ticks of a long window without walking all of it', () => {
    const ticks = new CronTicks('* * * * * *', 'UTC');
    const latest = ticks.latest(3, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-20T00:00:00.400Z'));
    expect(latest.map((t) => t.toISOString())).toEqual(['2026-01-19T23:59:58.000Z', '2026-01-19T23:59:59.000Z', '2026-01-20T00:00:00.000Z']);
    expect(ticks.latest(3, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:01.000Z')).map((t) => t.toISOString())).toEqual(['2026-01-01T00:00:01.000Z']);
  });

  it('rejects an invalid cron, an unknown time zone and a pattern that never matches', () => {
    expect(() => new CronTicks('61 * * * *', 'UTC')).toThrow(/invalid cron "61 \* \* \* \*": CronPattern: .*minute/);
    expect(() => new CronTicks('0 6 * * *', 'Europe/Lundon')).toThrow(InvalidCronError);
    expect(() => new CronTicks('0 6 * * *', 'Europe/Lundon')).toThrow(/invalid timezone "Europe\/Lundon"/);
    expect(() => new CronTicks('0 0 30 2 *', 'UTC')).toThrow(/never matches/);
  });
});

describe('CronTicks inside the repeated hour', () => {
  it('does not skip the first tick after the repeated hour, whatever the milliseconds of the reference instant', () => {
    // Europe/London 2026-10-25: the repeated hour is 01:00Z-02:00Z (01:00-01:59 GMT); 02:00 GMT is 02:00Z.
    const hourly = new CronTicks('0 * * * *', 'Europe/London');
    for (const ref of ['2026-10-25T01:00:00.000Z', '2026-10-25T01:00:00.400Z', '2026-10-25T01:59:59.999Z', '2026-10-25T01:30:00.250Z']) {
      expect(hourly.nextAfter(new Date(ref))?.toISOString()).toBe('2026-10-25T02:00:00.000Z');
    }
    expect(hourly.next(3, new Date('2026-10-24T23:30:00Z')).map((t) => t.toISOString())).toEqual([
      '2026-10-25T00:00:00.000Z',
      '2026-10-25T02:00:00.000Z',
      '2026-10-25T03:00:00.000Z',
    ]);
  });
});
