import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../../src/core/errors.js';
import {
  parseSelection,
  selectAssets,
  SelectionSyntaxError,
  UnknownAttributeError,
  UnknownSelectionError,
} from '../../../src/core/selection/index.js';
import { shopGraph } from './graphs.js';

function thrown(run: () => unknown): SluiceError {
  try {
    run();
  } catch (error) {
    if (error instanceof SluiceError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

const syntaxError = (text: string) => thrown(() => parseSelection(text)) as SelectionSyntaxError;

/** text, position of the caret, a piece of the message. */
const SYNTAX_CASES: ReadonlyArray<readonly [string, number, string]> = [
  ['', 0, 'expected an expression (an asset key, key:, group:, tag:, kind:, owner:'],
  ['   ', 3, 'found the end of the selection'],
  ['key:a and', 9, "expected an expression after 'and'"],
  ['key:a or or key:b', 9, "expected an expression after 'or' (an asset key, key:, group:, tag:, kind:, owner:, status:, '*', roots(...), sinks(...) or '('), found 'or'"],
  ['not', 3, "expected an expression after 'not'"],
  ['(key:a', 6, "expected ')' to close the '(' at position 0, found the end of the selection"],
  ['(key:a key:b)', 7, "expected 'and', 'or' or ')', found 'key'"],
  ['key:a)', 5, "found ')' with no '(' to close"],
  ['()', 1, "expected an expression after '(' (an asset key"],
  ['key:a key:b', 6, "expected 'and', 'or' or the end of the selection, found 'key'"],
  ['owner:team@x.com', 10, `unexpected '@'; quote values that contain '@', e.g. owner:"team@x.com"`],
  ['group:a and owner:me@x.com+', 20, `e.g. owner:"me@x.com+"`],
  ['key:"raw/entries', 4, `unterminated quoted value; expected a closing '"'`],
  ['key:', 4, "expected a value right after 'key:' (e.g. key:raw/entries), found the end of the selection"],
  ['key: a', 5, "expected a value right after 'key:'"],
  ['owner: x', 7, `(e.g. owner:"team@x.com")`],
  ['tag:priority=', 13, "expected a value right after '=' (e.g. tag:priority=high)"],
  ['group:a=b', 7, "'=' only follows a tag name"],
  ['tag:a =b', 6, "'=' only follows a tag name, with no spaces around it"],
  ['key:a,key:b', 5, "commas join clauses only in the legacy form (a,b*); use 'or' here"],
  [',a', 0, 'commas join clauses only in the legacy form'],
  ['a* or key:b', 0, "a bare name cannot hold '*' here; write key:a* for a wildcard, or +key:a / key:a+"],
  ['root(key:a)', 0, "unknown function 'root'; did you mean roots(...)?"],
  ['upstream(key:a)', 0, "unknown function 'upstream'; use roots(...) or sinks(...)"],
  ['sinks(key:a', 11, "expected ')' to close sinks( at position 5"],
  ['++key:a', 1, "a layer count goes before '+' (2+key:a) or after it (key:a+2)"],
  ['+not key:a', 1, "expected an expression after '+'"],
  ['key:a & key:b', 6, "unexpected '&'; expected an asset key, an attribute"],
  ["key:'a'", 4, 'quote values with double quotes'],
];

describe('SelectionSyntaxError', () => {
  it.each(SYNTAX_CASES)('rejects %j at position %i', (text, position, message) => {
    const error = syntaxError(text);
    expect(error).toBeInstanceOf(SelectionSyntaxError);
    expect(error.code).toBe('SELECTION_SYNTAX');
    expect(error.kind).toBe('input');
    expect(error.position).toBe(position);
    expect(error.data.position).toBe(position);
    expect(error.message).toContain(message);
  });

  it('shows the input with a caret under the bad position', () => {
    const error = syntaxError('key:a and');
    expect(error.message.split('\n')).toEqual([
      "invalid selection: expected an expression after 'and' (an asset key, key:, group:, tag:, kind:, owner:, status:, '*', roots(...), sinks(...) or '('), found the end of the selection",
      '  key:a and',
      '           ^',
    ]);
  });

  it('keeps the caret aligned when the input spans lines', () => {
    const error = syntaxError('key:a\n  key:b');
    expect(error.message.split('\n').slice(1)).toEqual(['  key:a   key:b', '          ^']);
  });
});

describe('UnknownAttributeError', () => {
  it('suggests close attribute names with the value when parsing alone', () => {
    const error = syntaxError('gruop:finance') as UnknownAttributeError;
    expect(error).toBeInstanceOf(UnknownAttributeError);
    expect(error.code).toBe('SELECTION_SYNTAX');
    expect(error.position).toBe(0);
    expect(error.message).toContain("unknown attribute 'gruop'; did you mean group:finance?");
  });

  it.each([
    ['tags:pii', 'tag:pii'],
    ['kin:dbt', 'kind:dbt'],
    ['owners:"a@b.c"', 'owner:"a@b.c"'],
  ])('suggests the attribute close to %j', (text, suggestion) => {
    expect((syntaxError(text) as UnknownAttributeError).suggestions).toEqual([suggestion]);
  });

  it('lists the known attributes when nothing is close', () => {
    const error = syntaxError('key:a or colour:red') as UnknownAttributeError;
    expect(error.position).toBe(9);
    expect(error.suggestions).toEqual([]);
    expect(error.message).toContain("unknown attribute 'colour'; use key:, group:, tag:, kind:, owner: or status:");
  });

  const shop = shopGraph();
  it('suggests a group and a key prefix from the graph', () => {
    const error = thrown(() => selectAssets('dbt:*', shop)) as UnknownAttributeError;
    expect(error).toBeInstanceOf(UnknownAttributeError);
    expect(error.suggestions).toEqual(['group:dbt', 'key:dbt/*']);
    expect(error.message.split('\n')).toEqual([
      "invalid selection: unknown attribute 'dbt'; did you mean group:dbt or key:dbt/*?",
      '  dbt:*',
      '  ^',
    ]);
  });

  it('suggests the exact key when prefix/value exists', () => {
    const error = thrown(() => selectAssets('group:x or raw:orders', shop)) as UnknownAttributeError;
    expect(error.position).toBe(11);
    expect(error.suggestions).toEqual(['group:raw', 'key:raw/orders']);
  });

  it('keeps the attribute-name suggestion when the graph has none', () => {
    const error = thrown(() => selectAssets('gruop:finance', shop)) as UnknownAttributeError;
    expect(error.suggestions).toEqual(['group:finance']);
  });
});

describe('UnknownSelectionError', () => {
  const shop = shopGraph();
  const CASES: ReadonlyArray<readonly [string, string, readonly string[]]> = [
    ['stg_ordrs', 'unknown asset "stg_ordrs" in --select (did you mean "stg_orders"?)', ['stg_orders']],
    ['+stg_ordrs', 'unknown asset "stg_ordrs" in --select (did you mean "stg_orders"?)', ['stg_orders']],
    ['key:raw/ordres+', 'unknown asset "raw/ordres" in --select (did you mean "raw/orders"?)', ['raw/orders']],
    ['group:fnance', 'unknown group "fnance" in --select (did you mean "finance"?)', ['finance']],
    ['tag:prioity', 'unknown tag "prioity" in --select (did you mean "priority"?)', ['priority']],
    ['tag:prioity=high', 'unknown tag "prioity" in --select (did you mean "priority"?)', ['priority']],
    [
      'tag:priority=hgh',
      'unknown tag "priority=hgh" in --select (did you mean "priority=high" or "priority=low"?)',
      ['priority=high', 'priority=low'],
    ],
    ['kind:dbtt', 'unknown kind "dbtt" in --select (did you mean "dbt"?)', ['dbt']],
    ['owner:alcie', 'unknown owner "alcie" in --select (did you mean "alice"?)', ['alice']],
    ['group:finance and not key:nope', 'unknown asset "nope" in --select', []],
    ['roots(*) or sinks(key:zzz_unknown)', 'unknown asset "zzz_unknown" in --select', []],
  ];

  it.each(CASES)('rejects %j', (text, message, suggestions) => {
    const error = thrown(() => selectAssets(text, shop)) as UnknownSelectionError;
    expect(error).toBeInstanceOf(UnknownSelectionError);
    expect(error.code).toBe('UNKNOWN_SELECTION');
    expect(error.kind).toBe('input');
    expect(error.message).toBe(message);
    expect(error.suggestions).toEqual(suggestions);
    expect(error.data.suggestions).toEqual(suggestions);
  });

  it('names the attribute and value in its data', () => {
    const error = thrown(() => selectAssets('kind:dbtt', shop));
    expect(error.data).toMatchObject({ attribute: 'kind', value: 'dbtt' });
  });
});
