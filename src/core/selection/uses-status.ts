import type { SelectionNode } from './selection-ast.js';

/**
 * True when resolving `node` needs asset statuses (it holds a `status:` clause anywhere), so
 * callers read statuses from storage only for selections that use them.
 */
export function usesStatus(node: SelectionNode): boolean {
  switch (node.type) {
    case 'status':
      return true;
    case 'all':
    case 'attribute':
    case 'tag':
      return false;
    case 'not':
    case 'traversal':
    case 'function':
      return usesStatus(node.operand);
    case 'and':
    case 'or':
      return usesStatus(node.left) || usesStatus(node.right);
  }
}
