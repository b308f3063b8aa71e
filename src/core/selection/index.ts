export {
  SELECTION_ATTRIBUTES,
  SELECTION_FUNCTIONS,
  type AllNode,
  type AndNode,
  type AttributeNode,
  type FunctionNode,
  type NotNode,
  type OrNode,
  type SelectionAttribute,
  type SelectionFunction,
  type SelectionNode,
  type TagNode,
  type TraversalDepth,
  type TraversalNode,
  type ValueAttribute,
} from './selection-ast.js';
export { SelectionSyntaxError, UnknownAttributeError, UnknownSelectionError } from './selection-errors.js';
export { parseSelection } from './parse-selection.js';
export { resolveSelection } from './resolve-selection.js';
export { selectAssets } from './select-assets.js';
export { formatSelection } from './format-selection.js';
