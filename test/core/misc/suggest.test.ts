import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, suggest } from '../../../src/core/suggest.js';

describe('suggest', () => {
  it('counts a transposition as one edit', () => {
    expect(editDistance('alcie', 'alice')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('keeps short inputs to one edit and longer ones to a third of their length', () => {
    expect(suggest('cc', ['c', 'b', 'raw/a'])).toEqual(['c']);
    expect(suggest('stg_ordrs', ['stg_orders', 'stg_customers', 'orders'])).toEqual(['stg_orders']);
    expect(suggest('entries', ['raw/entries', 'other'])).toEqual(['raw/entries']);
    expect(suggest('zzz', ['a', 'b'])).toEqual([]);
  });

  it('formats one, two or three suggestions', () => {
    expect(didYouMean([])).toBe('');
    expect(didYouMean(['a'])).toBe(' (did you mean "a"?)');
    expect(didYouMean(['a', 'b', 'c'])).toBe(' (did you mean "a", "b" or "c"?)');
  });
});
