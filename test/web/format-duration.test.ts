import { describe, expect, it } from 'vitest';
import { duration } from '../../src/cli/output/format.js';
import { formatDuration } from '../../src/web/static/format-duration.js';

describe('formatDuration (one format for the CLI and the pages)', () => {
  it('writes milliseconds, seconds, minutes and hours in their largest two units', () => {
    expect([850, 1234, 59_949, 184_000, 7_500_000].map((ms) => formatDuration(ms))).toEqual(['850ms', '1.2s', '59.9s', '3m4s', '2h5m']);
  });

  it('writes a missing duration as the caller says: nothing on a page, "-" in the CLI', () => {
    expect(formatDuration(null)).toBe('');
    expect(formatDuration(undefined, '—')).toBe('—');
    expect(duration(null)).toBe('-');
    expect(duration(184_000)).toBe(formatDuration(184_000));
  });
});
