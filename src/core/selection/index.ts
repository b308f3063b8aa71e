export {
  SELECTION_ATTRIBUTES,
  SELECTION_FUNCTIONS,
  SELECTION_STATUSES,
  type AllNode,
  type AndNode,
  type AttributeNode,
  type FunctionNode,
  type NotNode,
  type OrNode,
  type SelectionAttribute,
  type SelectionFunction,
  type SelectionNode,
  type SelectionStatus,
  type StatusNode,
  type TagNode,
  type TraversalDepth,
  type TraversalNode,
  type ValueAttribute,
} from './selection-ast.js';
export { SelectionNeedsStatusError, SelectionSyntaxError, UnknownAttributeError, UnknownSelectionError } from './selection-errors.js';
export { parseSelection } from './parse-selection.js';
export { resolveSelection, type SelectionContext } from './resolve-selection.js';
export { usesStatus } from './uses-status.js';
export { selectAssets } from './select-assets.js';
export { formatSelection } from './format-selection.js';
