import type { AssetGraph } from '../core/graph/asset-graph.js';
import type { LineageView } from './api-contract.js';

const NODE_WIDTH = 200;
const NODE_HEIGHT = 34;
const COLUMN_GAP = 90;
const ROW_GAP = 14;
/** Barycenter passes (down then up): enough to untangle the usual fan-in/fan-out shapes. */
const SWEEPS = 4;
/** Columns are centred when the tallest has at most this many assets. */
const CENTRE_UP_TO = 40;

/**
 * Lays the whole graph out left to right, once per graph (the page only draws it): each asset's
 * column is its longest path from a root, and each column is ordered by group, then by the mean
 * row of its neighbours (a few barycenter sweeps), which keeps edges short without the cost of an
 * optimal crossing minimization. O((V + E) * SWEEPS + V log V), so 10,000 assets take milliseconds.
 */
export function layoutLineage(graph: AssetGraph): LineageView {
  const keys = graph.order;
  const index = new Map(keys.map((k, i) => [k, i]));
  const column = new Int32Array(keys.length);
  for (const key of keys) {
    const i = index.get(key)!;
    let c = 0;
    for (const parent of graph.parents(key)) c = Math.max(c, column[index.get(parent)!]! + 1);
    column[i] = c;
  }
  const columns: number[][] = [];
  keys.forEach((_, i) => (columns[column[i]!] ??= []).push(i));
  const group = keys.map((k) => graph.get(k).group);
  const groups = [...new Set(group)].sort();
  const groupRank = new Map(groups.map((g, i) => [g, i]));
  const parents = keys.map((k) => graph.parents(k).map((p) => index.get(p)!));
  const children = keys.map((k) => graph.children(k).map((c) => index.get(c)!));
  const row = new Float64Array(keys.length);
  for (const col of columns) {
    col.sort((a, b) => groupRank.get(group[a]!)! - groupRank.get(group[b]!)! || keys[a]!.localeCompare(keys[b]!));
    col.forEach((n, r) => (row[n] = r));
  }
  const reorder = (col: number[], neighbours: number[][]) => {
    const weight = new Map<number, number>();
    for (const n of col) {
      const ns = neighbours[n]!;
      weight.set(n, ns.length === 0 ? row[n]! : ns.reduce((sum, m) => sum + row[m]!, 0) / ns.length);
    }
    col.sort((a, b) => groupRank.get(group[a]!)! - groupRank.get(group[b]!)! || weight.get(a)! - weight.get(b)! || keys[a]!.localeCompare(keys[b]!));
    col.forEach((n, r) => (row[n] = r));
  };
  for (let s = 0; s < SWEEPS; s++) {
    if (s % 2 === 0) for (let c = 1; c < columns.length; c++) reorder(columns[c]!, parents);
    else for (let c = columns.length - 2; c >= 0; c--) reorder(columns[c]!, children);
  }
  const tallest = Math.max(0, ...columns.map((c) => c.length));
  const rowHeight = NODE_HEIGHT + ROW_GAP;
  const nodes = keys.map((key, i) => {
    const size = columns[column[i]!]!.length;
    // In a small graph short columns are centred on the tallest one, so the picture reads as a
    // flow; in a tall one they start at the top, where the page opens.
    const offset = tallest <= CENTRE_UP_TO ? ((tallest - size) * rowHeight) / 2 : 0;
    return { key, group: group[i]!, x: column[i]! * (NODE_WIDTH + COLUMN_GAP), y: offset + row[i]! * rowHeight, checks: graph.checksOf(key).length };
  });
  const edges: Array<readonly [number, number]> = [];
  keys.forEach((_, i) => parents[i]!.forEach((p) => edges.push([p, i])));
  return {
    nodes,
    edges,
    width: Math.max(0, columns.length * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP),
    height: tallest * rowHeight,
    nodeWidth: NODE_WIDTH,
    nodeHeight: NODE_HEIGHT,
    groups,
  };
}
