import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../src/core/selection/tokenizer.js';
import { hasWildcard, wildcardMatcher } from '../../../src/core/selection/wildcard.js';

describe('tokenize', () => {
  it('splits words, punctuation and quoted strings with their offsets', () => {
    expect(tokenize('2+key:"a b"+ and(x)').map((t) => [t.type, t.value, t.start, t.spaced])).toEqual([
      ['word', '2', 0, false],
      ['plus', '+', 1, false],
      ['word', 'key', 2, false],
      ['colon', ':', 5, false],
      ['string', 'a b', 6, false],
      ['plus', '+', 11, false],
      ['word', 'and', 13, true],
      ['lparen', '(', 16, false],
      ['word', 'x', 17, false],
      ['rparen', ')', 18, false],
      ['eof', '', 19, false],
    ]);
  });

  it('keeps / . - _ and * inside one word', () => {
    expect(tokenize('dbt/stg.orders-v2_*').map((t) => t.value)).toEqual(['dbt/stg.orders-v2_*', '']);
  });
});

describe('wildcardMatcher', () => {
  it('lets * match across / and match nothing', () => {
    const match = wildcardMatcher('dbt/*');
    expect(match('dbt/staging/orders')).toBe(true);
    expect(match('dbt/')).toBe(true);
    expect(match('raw/dbt/x')).toBe(false);
  });

  it('treats other characters literally and compares case-sensitively', () => {
    expect(wildcardMatcher('a.b*')('axb')).toBe(false);
    expect(wildcardMatcher('a.b*')('a.bc')).toBe(true);
    expect(wildcardMatcher('Raw*')('raw/a')).toBe(false);
    expect(wildcardMatcher('raw')('raw/a')).toBe(false);
  });

  it('reports whether a pattern has a wildcard', () => {
    expect(hasWildcard('a*')).toBe(true);
    expect(hasWildcard('a')).toBe(false);
  });
});
