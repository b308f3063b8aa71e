import type { AnyAssetDefinition } from '../asset/asset-definition.js';
import type { AssetGraph } from '../graph/asset-graph.js';
import { suggest } from '../suggest.js';
import type { AttributeNode, SelectionNode, SelectionStatus, StatusNode, TagNode } from './selection-ast.js';
import { SelectionNeedsStatusError, UnknownSelectionError } from './selection-errors.js';
import { hasWildcard, wildcardMatcher } from './wildcard.js';

/**
 * What resolution may need beyond the graph. `statusOf` gives each asset's current status (the
 * caller reads it from storage); it is needed only when `usesStatus(node)`.
 */
export interface SelectionContext {
  readonly statusOf?: (key: string) => SelectionStatus;
}

/** The values of an attribute on one asset. */
function valuesOf(asset: AnyAssetDefinition, attribute: AttributeNode['attribute']): readonly string[] {
  switch (attribute) {
    case 'key':
      return [asset.key];
    case 'group':
      return [asset.group];
    case 'kind':
      return asset.kinds;
    case 'owner':
      return asset.owners;
  }
}

function distinct(graph: AssetGraph, values: (asset: AnyAssetDefinition) => Iterable<string>): string[] {
  const all = new Set<string>();
  for (const key of graph.keys()) for (const value of values(graph.get(key))) all.add(value);
  return [...all].sort();
}

function resolveAttribute(node: AttributeNode, graph: AssetGraph): Set<string> {
  if (node.attribute === 'key' && !hasWildcard(node.value)) {
    if (graph.has(node.value)) return new Set([node.value]);
    throw new UnknownSelectionError('key', node.value, suggest(node.value, graph.keys()));
  }
  const matches = wildcardMatcher(node.value);
  const selected = new Set(graph.keys().filter((key) => valuesOf(graph.get(key), node.attribute).some(matches)));
  if (selected.size === 0 && !hasWildcard(node.value)) {
    throw new UnknownSelectionError(node.attribute, node.value, suggest(node.value, distinct(graph, (a) => valuesOf(a, node.attribute))));
  }
  return selected;
}

function resolveTag(node: TagNode, graph: AssetGraph): Set<string> {
  const keyMatches = wildcardMatcher(node.key);
  const valueMatches = node.value === undefined ? () => true : wildcardMatcher(node.value);
  const selected = new Set(
    graph.keys().filter((key) => Object.entries(graph.get(key).tags).some(([k, v]) => keyMatches(k) && valueMatches(v))),
  );
  if (selected.size > 0 || hasWildcard(node.key) || (node.value !== undefined && hasWildcard(node.value))) return selected;
  const tagKeys = distinct(graph, (asset) => Object.keys(asset.tags));
  if (node.value === undefined || !tagKeys.includes(node.key)) {
    throw new UnknownSelectionError('tag', node.key, suggest(node.key, tagKeys));
  }
  const pairs = distinct(graph, (asset) => Object.entries(asset.tags).filter(([k]) => k === node.key).map(([k, v]) => `${k}=${v}`));
  throw new UnknownSelectionError('tag', `${node.key}=${node.value}`, suggest(`${node.key}=${node.value}`, pairs));
}

function resolveStatus(node: StatusNode, graph: AssetGraph, context: SelectionContext): Set<string> {
  const statusOf = context.statusOf;
  if (!statusOf) throw new SelectionNeedsStatusError(`status:${node.status}`);
  return new Set(graph.keys().filter((key) => statusOf(key) === node.status));
}

/**
 * The keys `node` selects in `graph`. A plain value (no `*`) that matches no asset throws
 * UnknownSelectionError with near matches; a wildcard matching nothing, or operators leaving
 * nothing, give an empty set (callers decide whether that is an error). Traversals include
 * their operand and walk breadth-first, so `N+` reaches assets at shortest distance <= N.
 * `status:` clauses read `context.statusOf`; without it they throw SelectionNeedsStatusError.
 */
export function resolveSelection(node: SelectionNode, graph: AssetGraph, context: SelectionContext = {}): Set<string> {
  switch (node.type) {
    case 'all':
      return new Set(graph.keys());
    case 'attribute':
      return resolveAttribute(node, graph);
    case 'tag':
      return resolveTag(node, graph);
    case 'status':
      return resolveStatus(node, graph, context);
    case 'not': {
      const excluded = resolveSelection(node.operand, graph, context);
      return new Set(graph.keys().filter((key) => !excluded.has(key)));
    }
    case 'and': {
      const left = resolveSelection(node.left, graph, context);
      const right = resolveSelection(node.right, graph, context);
      return new Set([...left].filter((key) => right.has(key)));
    }
    case 'or':
      return new Set([...resolveSelection(node.left, graph, context), ...resolveSelection(node.right, graph, context)]);
    case 'traversal': {
      const base = resolveSelection(node.operand, graph, context);
      const selected = new Set(base);
      if (node.upstream !== 0) for (const key of graph.upstream(base, node.upstream === 'all' ? undefined : node.upstream)) selected.add(key);
      if (node.downstream !== 0) {
        for (const key of graph.downstream(base, node.downstream === 'all' ? undefined : node.downstream)) selected.add(key);
      }
      return selected;
    }
    case 'function': {
      const within = resolveSelection(node.operand, graph, context);
      return node.name === 'roots' ? graph.roots(within) : graph.sinks(within);
    }
  }
}
