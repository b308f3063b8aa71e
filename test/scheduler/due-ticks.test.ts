import { describe, expect, it } from 'vitest';
import { CronTicks } from '../../src/scheduler/cron-ticks.js';
import { dueTicks } from '../../src/scheduler/due-ticks.js';

const daily = new CronTicks('0 6 * * *', 'Europe/London');
const iso = (dates: readonly Date[]) => dates.map((d) => d.toISOString());

describe('dueTicks', () => {
  // Started on Monday 2026-11-16 at 05:00; the daemon was down from the 06:00 of the 17th until Friday 09:00.
  const startedAt = new Date('2026-11-16T05:00:00Z');
  const cursor = new Date('2026-11-17T06:00:00Z');
  const now = new Date('2026-11-20T09:00:00Z');

  it('latest (the default) launches only the most recent missed tick and moves the cursor to it', () => {
    const due = dueTicks(daily, { policy: 'latest', max: 5 }, { startedAt, cursor }, now);
    expect(iso(due.launch)).toEqual(['2026-11-20T06:00:00.000Z']);
    expect(due.cursor?.toISOString()).toBe('2026-11-20T06:00:00.000Z');
  });

  it('all launches each missed tick, oldest first, up to max (the most recent ones)', () => {
    expect(iso(dueTicks(daily, { policy: 'all', max: 5 }, { startedAt, cursor }, now).launch)).toEqual([
      '2026-11-18T06:00:00.000Z',
      '2026-11-19T06:00:00.000Z',
      '2026-11-20T06:00:00.000Z',
    ]);
    expect(iso(dueTicks(daily, { policy: 'all', max: 2 }, { startedAt, cursor }, now).launch)).toEqual(['2026-11-19T06:00:00.000Z', '2026-11-20T06:00:00.000Z']);
  });

  it('none launches no missed tick but still moves the cursor past them', () => {
    const due = dueTicks(daily, { policy: 'none', max: 5 }, { startedAt, cursor }, now);
    expect(due.launch).toEqual([]);
    expect(due.cursor?.toISOString()).toBe('2026-11-20T06:00:00.000Z');
  });

  it('every policy launches a tick that is on time', () => {
    const onTime = new Date('2026-11-20T06:00:00.300Z');
    for (const policy of ['latest', 'all', 'none'] as const) {
      expect(iso(dueTicks(daily, { policy, max: 5 }, { startedAt, cursor: new Date('2026-11-19T06:00:00Z') }, onTime).launch)).toEqual(['2026-11-20T06:00:00.000Z']);
    }
  });

  it('never launches a tick from before the schedule was started', () => {
    const started = new Date('2026-11-19T07:00:00Z');
    expect(iso(dueTicks(daily, { policy: 'all', max: 5 }, { startedAt: started, cursor: null }, now).launch)).toEqual(['2026-11-20T06:00:00.000Z']);
    expect(dueTicks(daily, { policy: 'all', max: 5 }, { startedAt: new Date('2026-11-20T06:00:01Z'), cursor: null }, now)).toEqual({ launch: [], cursor: undefined });
    // A schedule started exactly at a tick's instant gets that tick.
    expect(iso(dueTicks(daily, { policy: 'latest', max: 5 }, { startedAt: new Date('2026-11-20T06:00:00Z'), cursor: null }, now).launch)).toEqual(['2026-11-20T06:00:00.000Z']);
  });

  it('launches nothing again at or before the cursor, so an edited cron never re-runs past ticks', () => {
    // The 06:00 tick ran (cursor 06:00). The cron is edited to 05:00 at 06:30: today's 05:00 is before the cursor.
    const edited = new CronTicks('0 5 * * *', 'Europe/London');
    const state = { startedAt, cursor: new Date('2026-11-20T06:00:00Z') };
    expect(dueTicks(edited, { policy: 'all', max: 5 }, state, new Date('2026-11-20T06:30:00Z'))).toEqual({ launch: [], cursor: undefined });
    expect(iso(dueTicks(edited, { policy: 'all', max: 5 }, state, new Date('2026-11-21T05:00:00Z')).launch)).toEqual(['2026-11-21T05:00:00.000Z']);
  });
});
