import { editDistance, suggest } from '../suggest.js';
import { formatValue } from './format-selection.js';
import { parseLegacySelection } from './legacy-selection.js';
import {
  allNode,
  andNode,
  attributeNode,
  functionNode,
  notNode,
  orNode,
  SELECTION_ATTRIBUTES,
  SELECTION_FUNCTIONS,
  SELECTION_STATUSES,
  statusNode,
  tagNode,
  traversalNode,
  type SelectionAttribute,
  type SelectionFunction,
  type SelectionNode,
  type SelectionStatus,
  type TraversalDepth,
} from './selection-ast.js';
import { SelectionSyntaxError, UnknownAttributeError } from './selection-errors.js';
import { tokenize, type Token } from './tokenizer.js';

const EXAMPLES: Record<SelectionAttribute, string> = {
  key: 'key:raw/entries',
  group: 'group:finance',
  tag: 'tag:priority=high',
  kind: 'kind:dbt',
  owner: 'owner:"team@x.com"',
  status: 'status:stale',
};

const DIGITS = /^[0-9]+$/;

function describe(token: Token): string {
  if (token.type === 'eof') return 'the end of the selection';
  return token.type === 'string' ? `"${token.value}"` : `'${token.value}'`;
}

function isKeyword(token: Token, keyword: 'and' | 'or' | 'not'): boolean {
  return token.type === 'word' && token.value.toLowerCase() === keyword;
}

function isAttribute(name: string): name is SelectionAttribute {
  return (SELECTION_ATTRIBUTES as readonly string[]).includes(name);
}

function isStatus(value: string): value is SelectionStatus {
  return (SELECTION_STATUSES as readonly string[]).includes(value);
}

function isFunction(name: string): name is SelectionFunction {
  return (SELECTION_FUNCTIONS as readonly string[]).includes(name);
}

/**
 * Recursive descent over the new syntax:
 *
 *   or        := and ('or' and)*
 *   and       := not ('and' not)*
 *   not       := 'not' not | traversal
 *   traversal := [DIGITS '+' | '+'] primary ['+' DIGITS | '+']
 *   primary   := '*' | ATTR ':' value | 'tag:' value ['=' value] | value
 *              | FUNC '(' or ')' | '(' or ')'
 *
 * Keywords, attribute and function names are case-insensitive. A depth's digits touch its `+`;
 * `:` and `=` touch both neighbours.
 */
class Parser {
  private index = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: readonly Token[],
  ) {}

  parse(): SelectionNode {
    const node = this.parseOr();
    this.expectEnd(this.peek(), false);
    return node;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const token = this.peek();
    if (this.index < this.tokens.length - 1) this.index++;
    return token;
  }

  private fail(token: Token, problem: string): never {
    throw new SelectionSyntaxError(this.text, token.start, problem, { found: token.type === 'eof' ? null : token.value });
  }

  private expectEnd(token: Token, inParens: boolean): void {
    if (token.type === 'eof' && !inParens) return;
    if (token.type === 'rparen' && inParens) return;
    const expected = `expected 'and', 'or'${inParens ? " or ')'" : ' or the end of the selection'}`;
    if (token.type === 'comma') this.fail(token, `${expected}, found ','; commas join clauses only in the legacy form (a,b*); use 'or' here`);
    if (token.type === 'equals') this.fail(token, `${expected}, found '='; '=' only follows a tag name, with no spaces around it (tag:priority=high)`);
    if (token.type === 'rparen') this.fail(token, `${expected}, found ')' with no '(' to close`);
    this.fail(token, `${expected}, found ${describe(token)}`);
  }

  private parseOr(): SelectionNode {
    let left = this.parseAnd();
    while (isKeyword(this.peek(), 'or')) {
      this.next();
      left = orNode(left, this.parseAnd());
    }
    return left;
  }

  private parseAnd(): SelectionNode {
    let left = this.parseNot();
    while (isKeyword(this.peek(), 'and')) {
      this.next();
      left = andNode(left, this.parseNot());
    }
    return left;
  }

  private parseNot(): SelectionNode {
    if (isKeyword(this.peek(), 'not')) {
      this.next();
      return notNode(this.parseNot());
    }
    return this.parseTraversal();
  }

  /** True when `token` can begin a primary, so `2+` before it is a depth rather than a key named `2`. */
  private startsPrimary(token: Token): boolean {
    if (token.type === 'string' || token.type === 'lparen') return true;
    return token.type === 'word' && !isKeyword(token, 'and') && !isKeyword(token, 'or') && !isKeyword(token, 'not');
  }

  private depth(token: Token): number {
    const value = Number(token.value);
    if (!Number.isSafeInteger(value)) this.fail(token, `expected a layer count, found ${describe(token)}, which is too large`);
    return value;
  }

  private parseTraversal(): SelectionNode {
    let upstream: TraversalDepth = 0;
    const first = this.peek();
    const plus = this.peek(1);
    if (first.type === 'word' && DIGITS.test(first.value) && plus.type === 'plus' && !plus.spaced && this.startsPrimary(this.peek(2))) {
      upstream = this.depth(first);
      this.next();
      this.next();
    } else if (first.type === 'plus') {
      upstream = 'all';
      this.next();
    }
    const operand = this.parsePrimary();
    let downstream: TraversalDepth = 0;
    if (this.peek().type === 'plus') {
      this.next();
      const count = this.peek();
      if (count.type === 'word' && DIGITS.test(count.value) && !count.spaced) {
        downstream = this.depth(count);
        this.next();
      } else {
        downstream = 'all';
      }
    }
    return traversalNode(operand, upstream, downstream);
  }

  private expectExpression(token: Token): never {
    const previous = this.index > 0 ? this.tokens[this.index - 1] : undefined;
    const after = previous && previous !== token ? ` after ${describe(previous)}` : '';
    let hint = '';
    if (token.type === 'plus') hint = "; a layer count goes before '+' (2+key:a) or after it (key:a+2)";
    if (token.type === 'comma') hint = "; commas join clauses only in the legacy form (a,b*); use 'or' here";
    this.fail(token, `expected an expression${after} (an asset key, key:, group:, tag:, kind:, owner:, status:, '*', roots(...), sinks(...) or '('), found ${describe(token)}${hint}`);
  }

  private parsePrimary(): SelectionNode {
    const token = this.peek();
    if (token.type === 'lparen') {
      this.next();
      const inner = this.parseOr();
      const close = this.peek();
      if (close.type !== 'rparen') {
        if (close.type === 'eof') this.fail(close, `expected ')' to close the '(' at position ${token.start}, found the end of the selection`);
        this.expectEnd(close, true);
      }
      this.next();
      return inner;
    }
    if (token.type === 'string') {
      this.next();
      return this.bareKey(token);
    }
    if (token.type !== 'word' || isKeyword(token, 'and') || isKeyword(token, 'or') || isKeyword(token, 'not')) {
      // `not` here follows a traversal `+`: traversals apply to a primary, so write +(not x).
      this.expectExpression(token);
    }
    this.next();
    const following = this.peek();
    if (following.type === 'colon' && !following.spaced) return this.parseAttribute(token);
    const name = token.value.toLowerCase();
    if (following.type === 'lparen' && (isFunction(name) || !following.spaced)) return this.parseFunction(token);
    if (token.value === '*') return allNode();
    return this.bareKey(token);
  }

  private bareKey(token: Token): SelectionNode {
    if (token.value.includes('*')) {
      const name = token.value.replace(/^\*+|\*+$/g, '') || 'name';
      this.fail(
        token,
        `a bare name cannot hold '*' here; write key:${formatValue(token.value)} for a wildcard, or +key:${formatValue(name)} / key:${formatValue(name)}+ for everything upstream / downstream ('*name' and 'name*' are legacy forms, which cannot be mixed with attributes, keywords or parentheses)`,
      );
    }
    return attributeNode('key', token.value);
  }

  /** The value right after `:` or `=`, quoted or not. */
  private value(after: Token, example: string): Token {
    const token = this.peek();
    if ((token.type === 'word' || token.type === 'string') && !token.spaced) {
      this.next();
      return token;
    }
    return this.fail(token, `expected a value right after '${after.value}' (e.g. ${example}), found ${describe(token)}`);
  }

  private parseAttribute(nameToken: Token): SelectionNode {
    const colon = this.next();
    const name = nameToken.value.toLowerCase();
    if (!isAttribute(name)) {
      const valueToken = this.peek();
      const value = (valueToken.type === 'word' || valueToken.type === 'string') && !valueToken.spaced ? valueToken.value : '';
      // Attribute names are short: allow one edit up to four letters, two beyond (gruop -> group, not raw -> tag).
      const limit = name.length <= 4 ? 1 : 2;
      const suggestions = SELECTION_ATTRIBUTES.filter((attribute) => editDistance(name, attribute) <= limit).map(
        (attribute) => `${attribute}:${formatValue(value)}`,
      );
      throw new UnknownAttributeError(this.text, nameToken.start, nameToken.value, value, suggestions);
    }
    const valueToken = this.value({ ...colon, value: `${name}:` }, EXAMPLES[name]);
    const value = valueToken.value;
    if (name === 'status') return this.status(valueToken);
    if (name !== 'tag') return attributeNode(name, value);
    const equals = this.peek();
    if (equals.type !== 'equals' || equals.spaced) return tagNode(value, undefined);
    this.next();
    return tagNode(value, this.value(equals, `tag:${formatValue(value)}=high`).value);
  }

  /** `status:` takes one of four words (any case), no wildcards: statuses are a closed set. */
  private status(token: Token): SelectionNode {
    const status = token.value.toLowerCase();
    if (isStatus(status)) return statusNode(status);
    const close = suggest(status, SELECTION_STATUSES);
    const hint = close.length > 0 ? ` (did you mean status:${close[0]}?)` : '';
    return this.fail(token, `unknown status ${describe(token)}${hint}; status: takes ${SELECTION_STATUSES.join(', ')}`);
  }

  private parseFunction(nameToken: Token): SelectionNode {
    const name = nameToken.value.toLowerCase();
    if (!isFunction(name)) {
      const close = suggest(name, SELECTION_FUNCTIONS);
      const hint = close.length > 0 ? `did you mean ${close.map((f) => `${f}(...)`).join(' or ')}?` : 'use roots(...) or sinks(...)';
      this.fail(nameToken, `unknown function '${nameToken.value}'; ${hint}`);
    }
    const open = this.next();
    const operand = this.parseOr();
    const close = this.peek();
    if (close.type !== 'rparen') {
      if (close.type === 'eof') this.fail(close, `expected ')' to close ${name}( at position ${open.start}, found the end of the selection`);
      this.expectEnd(close, true);
    }
    this.next();
    return functionNode(name, operand);
  }
}

/**
 * Parses an asset selection into a frozen AST. Accepts the new syntax (`key:a+ and kind:dbt`) and
 * the legacy CLI form (`*entries`, `a,b++`); see `parseLegacySelection` for how they are told
 * apart. Throws SelectionSyntaxError (code SELECTION_SYNTAX, with `position`), or its subclass
 * UnknownAttributeError for `dbt:*`.
 */
export function parseSelection(text: string): SelectionNode {
  return parseLegacySelection(text) ?? new Parser(text, tokenize(text)).parse();
}
