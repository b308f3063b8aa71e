import type { EvaluationNode } from './automation-snapshot.js';
import { keySetHas } from './key-set.js';

const SHOWN_KEYS = 3;

function keysText(keys: readonly string[]): string {
  const shown = keys.slice(0, SHOWN_KEYS).join(', ');
  return keys.length > SHOWN_KEYS ? `${shown}, ...` : shown;
}

/** One node's verdict: for `partition` when the node was evaluated on the root asset, else a count. */
function verdict(node: EvaluationNode, root: string, partition: string | undefined): string {
  // An `and` stops at its first false operand: the ones after it were evaluated for nothing.
  if (node.candidateCount === 0) return 'not evaluated';
  const unpartitioned = node.candidateCount === 1 && node.candidates[0] === '';
  if (node.asset === root && (partition !== undefined || unpartitioned)) {
    const key = partition ?? '';
    if (keySetHas(node.trueKeys, key)) return 'true';
    return keySetHas(node.candidates, key) ? 'false' : 'not evaluated';
  }
  if (unpartitioned) return node.trueCount > 0 ? 'true' : 'false';
  const on = node.asset === root ? '' : ` of ${node.asset}`;
  return node.trueCount === 0
    ? `false for all ${node.candidateCount} partition(s)${on}`
    : `true for ${node.trueCount} of ${node.candidateCount} partition(s)${on}: ${keysText(node.trueKeys)}`;
}

/**
 * An evaluated condition as indented text, one node a line: its label and whether it was true,
 * e.g. `- not(any_deps_missing): false` (under any/all_deps_match, a dep's line names the dep).
 * With `partition`, nodes evaluated on the asset itself say true / false / not evaluated for it.
 */
export function formatEvaluationTree(tree: EvaluationNode, partition?: string): string[] {
  const lines: string[] = [];
  const visit = (node: EvaluationNode, depth: number, parent: EvaluationNode | undefined): void => {
    const depNote = parent && parent.asset !== node.asset && parent.kind.endsWith('deps_match') ? ` [dep ${node.asset}]` : '';
    const checkNote = node.check && parent?.check !== node.check ? ` [check ${node.check}]` : '';
    lines.push(`${'  '.repeat(depth)}- ${node.label}${depNote}${checkNote}: ${verdict(node, tree.asset, partition)}`);
    for (const child of node.children) visit(child, depth + 1, node);
  };
  visit(tree, 0, undefined);
  return lines;
}
