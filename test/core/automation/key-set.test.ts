import { describe, expect, it } from 'vitest';
import { compactKeys, keySetHas } from '../../../src/core/automation/key-set.js';

const days = ['2030-01-01', '2030-01-02', '2030-01-03', '2030-01-04', '2030-01-05'];

describe('key sets of evaluation trees', () => {
  it('writes runs of consecutive time-window keys as ranges, and reads membership back', () => {
    const keys = compactKeys(days, new Set(['2030-01-05', '2030-01-01', '2030-01-02', '2030-01-04', '2030-02-01']), true);
    expect(keys).toEqual(['2030-01-01...2030-01-02', '2030-01-04...2030-01-05', '2030-02-01']);
    expect(days.map((d) => keySetHas(keys, d))).toEqual([true, true, false, true, true]);
    expect(keySetHas(keys, '2030-02-01')).toBe(true);
  });

  it('lists static keys one by one, in partition order', () => {
    expect(compactKeys(['eu', 'us', 'apac'], new Set(['apac', 'eu', 'us']), false)).toEqual(['eu', 'us', 'apac']);
    expect(compactKeys(['eu'], new Set(), false)).toEqual([]);
  });
});
