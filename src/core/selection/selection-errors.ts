import { SluiceError } from '../errors.js';
import { didYouMean } from '../suggest.js';
import type { SelectionAttribute } from './selection-ast.js';

/** The input on one line with a caret under `position` (tabs and newlines shown as spaces). */
function pointAt(input: string, position: number): string {
  const shown = input.replace(/[\t\r\n]/g, ' ');
  return `  ${shown}\n  ${' '.repeat(position)}^`;
}

/**
 * A selection that does not parse. `position` is the 0-based offset of the offending character;
 * the message names the problem, what was expected there, and shows the input with a caret.
 */
export class SelectionSyntaxError extends SluiceError {
  readonly position: number;
  readonly input: string;

  constructor(input: string, position: number, problem: string, data: Record<string, unknown> = {}) {
    super('SELECTION_SYNTAX', `invalid selection: ${problem}\n${pointAt(input, position)}`, { ...data, input, position, problem });
    this.input = input;
    this.position = position;
  }
}

/**
 * `dbt:*`: an attribute name the syntax does not know. `suggestions` are whole replacement
 * clauses (`group:dbt`, `key:dbt/*`); without any, the message lists the known attributes.
 */
export class UnknownAttributeError extends SelectionSyntaxError {
  readonly attribute: string;
  readonly value: string;
  readonly suggestions: readonly string[];

  constructor(input: string, position: number, attribute: string, value: string, suggestions: readonly string[]) {
    const hint =
      suggestions.length > 0
        ? `did you mean ${suggestions.length === 1 ? suggestions[0] : `${suggestions.slice(0, -1).join(', ')} or ${suggestions[suggestions.length - 1]}`}?`
        : 'use key:, group:, tag:, kind:, owner: or status:';
    super(input, position, `unknown attribute '${attribute}'; ${hint}`, { attribute, value, suggestions });
    this.attribute = attribute;
    this.value = value;
    this.suggestions = Object.freeze([...suggestions]);
  }
}

const NOUN: Record<SelectionAttribute, string> = { key: 'asset', group: 'group', tag: 'tag', kind: 'kind', owner: 'owner', status: 'status' };

/**
 * A plain value (no wildcard) that matches nothing in the graph: `unknown asset "stg_ordrs" in
 * --select (did you mean "stg_orders"?)`. For `tag:k=v` with a known `k`, `value` is `k=v`.
 */
export class UnknownSelectionError extends SluiceError {
  readonly attribute: SelectionAttribute;
  readonly value: string;
  readonly suggestions: readonly string[];

  constructor(attribute: SelectionAttribute, value: string, suggestions: readonly string[]) {
    super('UNKNOWN_SELECTION', `unknown ${NOUN[attribute]} "${value}" in --select${didYouMean(suggestions)}`, {
      attribute,
      value,
      suggestions,
    });
    this.attribute = attribute;
    this.value = value;
    this.suggestions = Object.freeze([...suggestions]);
  }
}

/**
 * A selection using `status:` resolved without asset statuses. Statuses live in the run store, so
 * the caller must fetch them (only when `usesStatus(node)`) and pass `{ statusOf }`.
 */
export class SelectionNeedsStatusError extends SluiceError {
  constructor(clause: string) {
    super(
      'SELECTION_NEEDS_STATUS',
      `${clause} needs asset statuses from the run store, and this selection was resolved without them; select without status: here (code resolving it: fetch statuses when usesStatus(node) and pass { statusOf } to resolveSelection)`,
      { clause },
    );
  }
}
