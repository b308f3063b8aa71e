import { describe, expect, it } from 'vitest';
import { parseSince } from '../../src/cli/commands/runs.js';

describe('runs list --since', () => {
  const now = new Date('2026-11-22T12:00:00Z');
  it('takes an age before now or an ISO-8601 instant', () => {
    expect(parseSince('30m', now)).toEqual(new Date('2026-11-22T11:30:00Z'));
    expect(parseSince('24h', now)).toEqual(new Date('2026-11-21T12:00:00Z'));
    expect(parseSince('7d', now)).toEqual(new Date('2026-11-15T12:00:00Z'));
    expect(parseSince('90s', now)).toEqual(new Date('2026-11-22T11:58:30Z'));
    expect(parseSince('2026-11-22T06:00:00+00:00', now)).toEqual(new Date('2026-11-22T06:00:00Z'));
    expect(parseSince('2026-11-01', now)).toEqual(new Date('2026-11-01T00:00:00Z'));
  });
  it('refuses anything else with a clear error', () => {
    for (const bad of ['yesterday', '5 weeks', '-1h', '12']) {
      expect(() => parseSince(bad, now)).toThrow(/--since ".*" is neither an ISO-8601 instant .* nor an age \(30m, 24h, 7d\)/);
    }
  });
});
