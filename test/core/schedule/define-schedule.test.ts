import { describe, expect, it } from 'vitest';
import { defineSchedule } from '../../../src/core/schedule/schedule-definition.js';

const base = { name: 'daily', cron: '0 6 * * *', timezone: 'Europe/London', select: '*' };

describe('defineSchedule', () => {
  it('returns frozen data with the defaults: STOPPED, catch-up latest (max 5), overlap skip', () => {
    const schedule = defineSchedule({ ...base, tags: { team: 'data' } });
    expect(schedule).toEqual({
      kind: 'schedule',
      name: 'daily',
      cron: '0 6 * * *',
      timezone: 'Europe/London',
      select: '*',
      tags: { team: 'data' },
      config: undefined,
      defaultStatus: 'STOPPED',
      catchup: { policy: 'latest', max: 5 },
      overlap: 'skip',
      partition: undefined,
      description: undefined,
    });
    expect(Object.isFrozen(schedule)).toBe(true);
    expect(Object.isFrozen(schedule.tags)).toBe(true);
    expect(Object.isFrozen(schedule.catchup)).toBe(true);
  });

  it('keeps the given status and policies', () => {
    expect(defineSchedule({ ...base, defaultStatus: 'RUNNING', catchup: { policy: 'all', max: 3 }, overlap: 'queue' })).toMatchObject({
      defaultStatus: 'RUNNING',
      catchup: { policy: 'all', max: 3 },
      overlap: 'queue',
    });
  });

  it('rejects a malformed name, empty cron, timezone or selection, reserved tags and unknown policies', () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ name: 'daily promotion' }, /invalid schedule name "daily promotion"/],
      [{ cron: ' ' }, /schedule "daily": cron must be a cron pattern/],
      [{ timezone: '' }, /schedule "daily": timezone must be an IANA time zone/],
      [{ select: '' }, /schedule "daily": select must be an asset selection/],
      [{ tags: { 'sluice/schedule': 'x' } }, /tag "sluice\/schedule" uses the sluice\/ prefix, which Sluice.s own tags use/],
      [{ overlap: 'wait' }, /overlap must be one of "skip", "queue", "allow" \(got "wait"\)/],
      [{ catchup: { policy: 'some' } }, /catchup.policy must be one of "latest", "all", "none"/],
      [{ catchup: { policy: 'all', max: 0 } }, /catchup.max must be a whole number >= 1/],
      [{ defaultStatus: 'ON' }, /defaultStatus must be one of "RUNNING", "STOPPED"/],
    ];
    for (const [override, message] of cases) {
      expect(() => defineSchedule({ ...base, ...override } as never)).toThrow(message);
    }
  });
});
