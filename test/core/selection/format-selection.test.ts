import { describe, expect, it } from 'vitest';
import { formatSelection, parseSelection, type SelectionNode } from '../../../src/core/selection/index.js';
import { DAGSTER_CASES, DIAMOND_CASES, LEGACY_CASES, SHOP_CASES } from './cases.js';

const CANONICAL: ReadonlyArray<readonly [string, string]> = [
  ['*', '*'],
  ['KEY:a AND NOT b', 'key:a and not key:b'],
  ['key:"raw/entries"', 'key:raw/entries'],
  ['key:"a\\"b"', 'key:"a\\"b"'],
  ['key:"with space"', 'key:"with space"'],
  ['owner:"team@x.com"', 'owner:"team@x.com"'],
  ['tag:"priority"="high"', 'tag:priority=high'],
  ['tag:x=""', 'tag:x=""'],
  ['+a', '1+key:a'],
  ['*a*', '+key:a+'],
  ['a,b++', 'key:a or key:b+2'],
  ['0+key:a+0', 'key:a'],
  ['(a or b) and c', '(key:a or key:b) and key:c'],
  ['a or (b and c)', 'key:a or key:b and key:c'],
  ['a or (b or c)', 'key:a or (key:b or key:c)'],
  ['(a or b) or c', 'key:a or key:b or key:c'],
  ['a and (b and c)', 'key:a and (key:b and key:c)'],
  ['not (a or b)', 'not (key:a or key:b)'],
  ['not not a', 'not not key:a'],
  ['+(a or b)+2', '+(key:a or key:b)+2'],
  ['(key:a+)+', '(key:a+)+'],
  ['(not a)+', '(not key:a)+'],
  ['Roots( +key:x )', 'roots(+key:x)'],
];

describe('formatSelection', () => {
  it.each(CANONICAL)('prints %j as %j', (text, canonical) => {
    expect(formatSelection(parseSelection(text))).toBe(canonical);
  });

  const everything = [...SHOP_CASES, ...LEGACY_CASES, ...DIAMOND_CASES, ...DAGSTER_CASES].map(([text]) => text);
  it.each([...everything, ...CANONICAL.map(([text]) => text)])('round-trips %j through parseSelection', (text) => {
    const node = parseSelection(text);
    expect(parseSelection(formatSelection(node))).toEqual(node);
  });

  const awkward: SelectionNode[] = [
    { type: 'attribute', attribute: 'key', value: 'and' },
    { type: 'attribute', attribute: 'key', value: '' },
    { type: 'attribute', attribute: 'owner', value: 'team:data-eng' },
    { type: 'attribute', attribute: 'group', value: '2024' },
    { type: 'tag', key: 'a b', value: 'c"d' },
    { type: 'traversal', operand: { type: 'attribute', attribute: 'key', value: '7' }, upstream: 3, downstream: 'all' },
    { type: 'traversal', operand: { type: 'all' }, upstream: 1, downstream: 0 },
  ];
  it.each(awkward)('round-trips the hand-built node %j', (node) => {
    expect(parseSelection(formatSelection(node))).toEqual(node);
  });
});
