import { CycleError } from './graph-errors.js';

/** What topoSort does with a cycle: throw (the default), or hear it and go on without that edge. */
export type OnCycle = (cycle: string[]) => void;

const throwCycle: OnCycle = (cycle) => {
  throw new CycleError(cycle);
};

/**
 * Nodes in dependency order (every node after all its parents), ties broken by name so the order
 * is deterministic. A cycle (`a -> b -> a`, in dependency direction) goes to `onCycle`: by default
 * it throws CycleError; a callback that returns instead is told every cycle the walk closes, and the
 * edge that closed it is left out of the order.
 */
export function topoSort(nodes: readonly string[], parentsOf: (node: string) => readonly string[], onCycle: OnCycle = throwCycle): string[] {
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
          onCycle([...cycle, parent].reverse());
          continue;
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
