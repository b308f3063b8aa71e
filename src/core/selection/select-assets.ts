import type { AssetGraph } from '../graph/asset-graph.js';
import { suggest } from '../suggest.js';
import { formatValue } from './format-selection.js';
import { parseSelection } from './parse-selection.js';
import { resolveSelection, type SelectionContext } from './resolve-selection.js';
import { UnknownAttributeError } from './selection-errors.js';
import { wildcardMatcher } from './wildcard.js';

/**
 * What `dbt:<value>` probably meant, given the graph: `group:dbt` when a group is named like
 * `dbt`, `key:dbt/<value>` when that matches keys, else `key:dbt/*` when keys start with `dbt/`.
 */
function graphSuggestions(attribute: string, value: string, graph: AssetGraph): string[] {
  const keys = graph.keys();
  const groups = [...new Set(keys.map((key) => graph.get(key).group))];
  const out = suggest(attribute, groups).map((group) => `group:${formatValue(group)}`);
  const candidate = `${attribute}/${value}`;
  const matches = wildcardMatcher(candidate);
  if (value !== '' && keys.some(matches)) out.push(`key:${formatValue(candidate)}`);
  else if (keys.some((key) => key.startsWith(`${attribute}/`))) out.push(`key:${formatValue(`${attribute}/*`)}`);
  return out;
}

/**
 * Parses and resolves `text` against `graph`: the selected keys. Throws what `parseSelection`
 * and `resolveSelection` throw; an UnknownAttributeError also suggests groups and key prefixes
 * from the graph (`dbt:*` -> `group:dbt`, `key:dbt/*`). `context` is passed to `resolveSelection`
 * (statuses for `status:`).
 */
export function selectAssets(text: string, graph: AssetGraph, context: SelectionContext = {}): Set<string> {
  let node;
  try {
    node = parseSelection(text);
  } catch (error) {
    if (!(error instanceof UnknownAttributeError)) throw error;
    const suggestions = [...new Set([...graphSuggestions(error.attribute, error.value, graph), ...error.suggestions])];
    throw new UnknownAttributeError(error.input, error.position, error.attribute, error.value, suggestions);
  }
  return resolveSelection(node, graph, context);
}
