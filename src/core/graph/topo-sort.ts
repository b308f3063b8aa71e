import { CycleError } from './graph-errors.js';

/**
 * Nodes in dependency order (every node after all its parents), ties broken by name so the order
 * is deterministic. Throws CycleError naming one cycle (`a -> b -> a`).
 */
export function topoSort(nodes: readonly string[], parentsOf: (node: string) => readonly string[]): string[] {
  const state = new Map<string, 1 | 2>(); // 1 = on the stack, 2 = done
  const order: string[] = [];
  const sorted = [...nodes].sort();
  for (const root of sorted) {
    if (state.has(root)) continue;
    // Iterative DFS over parents so deep chains (50,000 assets) do not overflow the stack.
    const stack: Array<{ node: string; parents: readonly string[]; next: number }> = [
      { node: root, parents: [...parentsOf(root)].sort(), next: 0 },
    ];
    state.set(root, 1);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      if (frame.next < frame.parents.length) {
        const parent = frame.parents[frame.next++]!;
        const s = state.get(parent);
        if (s === 2) continue;
        if (s === 1) {
          const path = stack.map((f) => f.node);
          const cycle = path.slice(path.indexOf(parent));
          // Print it in dependency direction: each asset feeds the next.
          throw new CycleError([...cycle, parent].reverse());
        }
        state.set(parent, 1);
        stack.push({ node: parent, parents: [...parentsOf(parent)].sort(), next: 0 });
      } else {
        stack.pop();
        state.set(frame.node, 2);
        order.push(frame.node);
      }
    }
  }
  return order;
}
