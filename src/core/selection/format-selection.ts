import type { SelectionNode, TraversalDepth } from './selection-ast.js';

const UNQUOTED = /^[A-Za-z0-9_\-./*]+$/;

/** A value as the syntax writes it: bare when it is one word, else double-quoted with `\"` and `\\` escapes. */
export function formatValue(value: string): string {
  return UNQUOTED.test(value) ? value : `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

function up(depth: TraversalDepth): string {
  return depth === 0 ? '' : depth === 'all' ? '+' : `${depth}+`;
}

function down(depth: TraversalDepth): string {
  return depth === 0 ? '' : depth === 'all' ? '+' : `+${depth}`;
}

/** `node` printed, parenthesized unless it is a primary (an attribute, `*` or a function call). */
function primary(node: SelectionNode): string {
  const text = formatSelection(node);
  const isPrimary = node.type === 'attribute' || node.type === 'tag' || node.type === 'status' || node.type === 'all' || node.type === 'function';
  return isPrimary ? text : `(${text})`;
}

/**
 * The canonical text of a selection in the new syntax: lowercase keywords, `key:` on every key,
 * the fewest parentheses that keep the tree's shape, and numeric depths (`1+key:a`) where the
 * legacy form had `+` marks. `parseSelection(formatSelection(n))` equals `n`.
 */
export function formatSelection(node: SelectionNode): string {
  switch (node.type) {
    case 'all':
      return '*';
    case 'attribute':
      return `${node.attribute}:${formatValue(node.value)}`;
    case 'tag':
      return `tag:${formatValue(node.key)}${node.value === undefined ? '' : `=${formatValue(node.value)}`}`;
    case 'status':
      return `status:${node.status}`;
    case 'not': {
      const operand = formatSelection(node.operand);
      return node.operand.type === 'and' || node.operand.type === 'or' ? `not (${operand})` : `not ${operand}`;
    }
    case 'and': {
      const left = formatSelection(node.left);
      const right = formatSelection(node.right);
      return `${node.left.type === 'or' ? `(${left})` : left} and ${node.right.type === 'or' || node.right.type === 'and' ? `(${right})` : right}`;
    }
    case 'or': {
      const right = formatSelection(node.right);
      return `${formatSelection(node.left)} or ${node.right.type === 'or' ? `(${right})` : right}`;
    }
    case 'traversal':
      return `${up(node.upstream)}${primary(node.operand)}${down(node.downstream)}`;
    case 'function':
      return `${node.name}(${formatSelection(node.operand)})`;
  }
}
