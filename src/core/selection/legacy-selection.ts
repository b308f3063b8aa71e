import { allNode, attributeNode, orNode, traversalNode, type SelectionNode, type TraversalDepth } from './selection-ast.js';

/**
 * The legacy CLI form (`dagster asset materialize --select`): comma-separated clauses, each
 * `[*|+...]name[*|+...]` where `name` is an asset key (`raw/entries`) or a clause is `*` alone.
 * `*` means all layers on that side; each `+` is one layer (`++a` = two layers up), unlike the
 * new syntax where a bare `+` means all.
 *
 * Disambiguation: a text is legacy only when every clause has that shape and no name is a
 * keyword (`and`, `or`, `not`, any case). Anything with `:`, quotes, parentheses, keywords,
 * spaces inside a clause or digit depths is the new syntax. The only texts both forms accept are
 * `name`, `+name`, `name+` and `+name+`, and they are legacy: `+entries` is one layer up; write
 * `+key:entries` for all of them.
 */
const CLAUSE = /^(\*|\++)?([A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*)(\*|\++)?$/;
const KEYWORDS = new Set(['and', 'or', 'not']);

function depth(marks: string | undefined): TraversalDepth {
  if (marks === undefined) return 0;
  return marks === '*' ? 'all' : marks.length;
}

/** The selection `text` denotes when it is in the legacy form; `undefined` when it is not. */
export function parseLegacySelection(text: string): SelectionNode | undefined {
  let result: SelectionNode | undefined;
  for (const raw of text.split(',')) {
    const clause = raw.trim();
    let node: SelectionNode;
    if (clause === '*') {
      node = allNode();
    } else {
      const match = CLAUSE.exec(clause);
      if (!match || KEYWORDS.has(match[2]!.toLowerCase())) return undefined;
      node = traversalNode(attributeNode('key', match[2]!), depth(match[1]), depth(match[3]));
    }
    result = result === undefined ? node : orNode(result, node);
  }
  return result;
}
