/**
 * The asset selection AST: plain, frozen data. Parsing builds it, `resolveSelection` evaluates it
 * against an `AssetGraph`, `formatSelection` prints it back. Nodes hold no source positions, so two
 * spellings of one selection (`a,b*` and `key:a or key:b+`) give equal trees.
 */

/** Attributes that take one value. `tag` has its own node (a key and an optional value). */
export type ValueAttribute = 'key' | 'group' | 'kind' | 'owner';

/** Every attribute name the syntax knows, in the order error messages list them. */
export const SELECTION_ATTRIBUTES = Object.freeze(['key', 'group', 'tag', 'kind', 'owner', 'status'] as const);
export type SelectionAttribute = (typeof SELECTION_ATTRIBUTES)[number];

/**
 * The values `status:` takes, as the run store judges an asset: `fresh` (materialized and nothing
 * upstream is newer), `stale`, `failed` (its latest attempt failed) and `missing` (never materialized).
 */
export const SELECTION_STATUSES = Object.freeze(['fresh', 'stale', 'failed', 'missing'] as const);
export type SelectionStatus = (typeof SELECTION_STATUSES)[number];

export const SELECTION_FUNCTIONS = Object.freeze(['roots', 'sinks'] as const);
export type SelectionFunction = (typeof SELECTION_FUNCTIONS)[number];

/** Layers to walk: a count (0 = none) or `'all'`. */
export type TraversalDepth = number | 'all';

/** `*`: every asset. */
export interface AllNode {
  readonly type: 'all';
}

/** `key:raw/*`, `group:finance`, `kind:dbt`, `owner:"team@x.com"`. Values may hold `*` wildcards. */
export interface AttributeNode {
  readonly type: 'attribute';
  readonly attribute: ValueAttribute;
  readonly value: string;
}

/** `tag:priority` (any value) or `tag:priority=high`. Both parts may hold `*` wildcards. */
export interface TagNode {
  readonly type: 'tag';
  readonly key: string;
  readonly value: string | undefined;
}

/**
 * `status:stale`: the assets whose current status (from storage, passed to `resolveSelection`)
 * is this one. The parser accepts only the four `SELECTION_STATUSES`, without wildcards.
 */
export interface StatusNode {
  readonly type: 'status';
  readonly status: SelectionStatus;
}

export interface NotNode {
  readonly type: 'not';
  readonly operand: SelectionNode;
}

export interface AndNode {
  readonly type: 'and';
  readonly left: SelectionNode;
  readonly right: SelectionNode;
}

export interface OrNode {
  readonly type: 'or';
  readonly left: SelectionNode;
  readonly right: SelectionNode;
}

/** `N+expr+M`: the operand plus everything within `upstream`/`downstream` layers of it. */
export interface TraversalNode {
  readonly type: 'traversal';
  readonly operand: SelectionNode;
  readonly upstream: TraversalDepth;
  readonly downstream: TraversalDepth;
}

/** `roots(expr)` / `sinks(expr)`, computed within the operand's selection. */
export interface FunctionNode {
  readonly type: 'function';
  readonly name: SelectionFunction;
  readonly operand: SelectionNode;
}

export type SelectionNode = AllNode | AttributeNode | TagNode | StatusNode | NotNode | AndNode | OrNode | TraversalNode | FunctionNode;

const ALL: AllNode = Object.freeze({ type: 'all' });

export function allNode(): AllNode {
  return ALL;
}

export function attributeNode(attribute: ValueAttribute, value: string): AttributeNode {
  return Object.freeze({ type: 'attribute', attribute, value });
}

export function tagNode(key: string, value: string | undefined): TagNode {
  return Object.freeze({ type: 'tag', key, value });
}

export function statusNode(status: SelectionStatus): StatusNode {
  return Object.freeze({ type: 'status', status });
}

export function notNode(operand: SelectionNode): NotNode {
  return Object.freeze({ type: 'not', operand });
}

export function andNode(left: SelectionNode, right: SelectionNode): AndNode {
  return Object.freeze({ type: 'and', left, right });
}

export function orNode(left: SelectionNode, right: SelectionNode): OrNode {
  return Object.freeze({ type: 'or', left, right });
}

/** A traversal of `operand`; with no layers either way it is `operand` itself (`0+key:a` is `key:a`). */
export function traversalNode(operand: SelectionNode, upstream: TraversalDepth, downstream: TraversalDepth): SelectionNode {
  if (upstream === 0 && downstream === 0) return operand;
  return Object.freeze({ type: 'traversal', operand, upstream, downstream });
}

export function functionNode(name: SelectionFunction, operand: SelectionNode): FunctionNode {
  return Object.freeze({ type: 'function', name, operand });
}
