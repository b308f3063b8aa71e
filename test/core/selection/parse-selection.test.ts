import { describe, expect, it } from 'vitest';
import { parseSelection, type SelectionNode } from '../../../src/core/selection/index.js';

const key = (value: string) => ({ type: 'attribute', attribute: 'key', value });

function isDeepFrozen(node: unknown): boolean {
  if (typeof node !== 'object' || node === null) return true;
  return Object.isFrozen(node) && Object.values(node).every(isDeepFrozen);
}

describe('parseSelection', () => {
  it('parses attributes into attribute and tag nodes', () => {
    expect(parseSelection('group:finance')).toEqual({ type: 'attribute', attribute: 'group', value: 'finance' });
    expect(parseSelection('owner:"team@x.com"')).toEqual({ type: 'attribute', attribute: 'owner', value: 'team@x.com' });
    expect(parseSelection('tag:pii')).toEqual({ type: 'tag', key: 'pii', value: undefined });
    expect(parseSelection('tag:"stage"="my value"')).toEqual({ type: 'tag', key: 'stage', value: 'my value' });
    expect(parseSelection('tag:sensitive=""')).toEqual({ type: 'tag', key: 'sensitive', value: '' });
  });

  it('reads a bare name as a key, and keeps keywords as values after a colon', () => {
    expect(parseSelection('raw/entries')).toEqual(key('raw/entries'));
    expect(parseSelection('key:and')).toEqual(key('and'));
    expect(parseSelection('key:not or key:or')).toEqual({ type: 'or', left: key('not'), right: key('or') });
  });

  it('unescapes \\" and \\\\ inside quoted values', () => {
    expect(parseSelection('key:"a\\"b\\\\c"')).toEqual(key('a"b\\c'));
  });

  it('binds not tighter than and, and and tighter than or', () => {
    expect(parseSelection('key:a or key:b and not key:c')).toEqual({
      type: 'or',
      left: key('a'),
      right: { type: 'and', left: key('b'), right: { type: 'not', operand: key('c') } },
    });
  });

  it('associates and/or to the left', () => {
    expect(parseSelection('key:a and key:b and key:c')).toEqual({
      type: 'and',
      left: { type: 'and', left: key('a'), right: key('b') },
      right: key('c'),
    });
  });

  it('accepts keywords, attributes and function names in any case', () => {
    expect(parseSelection('KEY:a AND Not key:b OR roots(key:c)')).toEqual(parseSelection('key:a and not key:b or ROOTS(key:c)'));
    expect(parseSelection('Group:x')).toEqual({ type: 'attribute', attribute: 'group', value: 'x' });
  });

  it('reads new-syntax traversals: a bare + is all layers, a number counts them', () => {
    expect(parseSelection('+key:a')).toEqual({ type: 'traversal', operand: key('a'), upstream: 'all', downstream: 0 });
    expect(parseSelection('key:a+')).toEqual({ type: 'traversal', operand: key('a'), upstream: 0, downstream: 'all' });
    expect(parseSelection('2+key:a+1')).toEqual({ type: 'traversal', operand: key('a'), upstream: 2, downstream: 1 });
    expect(parseSelection('+(key:a or key:b)')).toEqual({
      type: 'traversal',
      operand: { type: 'or', left: key('a'), right: key('b') },
      upstream: 'all',
      downstream: 0,
    });
  });

  it('applies a traversal to its primary only, under not', () => {
    expect(parseSelection('not key:a+')).toEqual({
      type: 'not',
      operand: { type: 'traversal', operand: key('a'), upstream: 0, downstream: 'all' },
    });
  });

  it('drops a traversal of zero layers either way', () => {
    expect(parseSelection('0+key:a+0')).toEqual(key('a'));
  });

  it('reads digits before + as a key when no expression follows', () => {
    expect(parseSelection('2024+ or key:b')).toEqual({
      type: 'or',
      left: { type: 'traversal', operand: key('2024'), upstream: 0, downstream: 'all' },
      right: key('b'),
    });
  });

  it('reads legacy marks as layer counts: each + is one layer, * is all', () => {
    expect(parseSelection('+a')).toEqual({ type: 'traversal', operand: key('a'), upstream: 1, downstream: 0 });
    expect(parseSelection('a++')).toEqual({ type: 'traversal', operand: key('a'), upstream: 0, downstream: 2 });
    expect(parseSelection('*raw/a*')).toEqual({ type: 'traversal', operand: key('raw/a'), upstream: 'all', downstream: 'all' });
    expect(parseSelection('a,b*')).toEqual({
      type: 'or',
      left: key('a'),
      right: { type: 'traversal', operand: key('b'), upstream: 0, downstream: 'all' },
    });
  });

  it('gives a legacy selection and its new-syntax spelling the same tree', () => {
    expect(parseSelection('++a,b*')).toEqual(parseSelection('2+key:a or key:b+'));
  });

  it('treats a text with a keyword, colon or parenthesis as the new syntax', () => {
    expect(parseSelection('+a or key:b')).toEqual({
      type: 'or',
      left: { type: 'traversal', operand: key('a'), upstream: 'all', downstream: 0 },
      right: key('b'),
    });
    expect(parseSelection('(+a)')).toEqual({ type: 'traversal', operand: key('a'), upstream: 'all', downstream: 0 });
  });

  it('parses roots and sinks with or without a space before (', () => {
    expect(parseSelection('roots (key:a)')).toEqual({ type: 'function', name: 'roots', operand: key('a') });
    expect(parseSelection('sinks(*)+1')).toEqual({
      type: 'traversal',
      operand: { type: 'function', name: 'sinks', operand: { type: 'all' } },
      upstream: 0,
      downstream: 1,
    });
  });

  it('returns a deeply frozen tree', () => {
    const node: SelectionNode = parseSelection('(group:a or tag:b=c) and not +roots(key:d)+2');
    expect(isDeepFrozen(node)).toBe(true);
    expect(() => {
      (node as { type: string }).type = 'or';
    }).toThrow(TypeError);
  });
});
