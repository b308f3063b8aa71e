import type { DbtProject } from '../dbt-project.js';

/** One thing to run: a model (or seed/snapshot) or a test, with what it waits for in this run. */
export interface OrderedItem {
  readonly id: string;
  readonly kind: 'node' | 'test';
  /** Selected items it waits for. */
  readonly after: readonly string[];
  /**
   * Every node it reads, directly or through ephemeral models (which are never built, so a
   * failure upstream of an ephemeral model still concerns its readers).
   */
  readonly reads: readonly string[];
}

/**
 * The selected nodes and tests in the order `dbt build` runs them: a node after the nodes it
 * reads; a test after the nodes it reads; and a node after the tests of the nodes it reads (so a
 * failing test can stop it), unless that test itself reads the node. Among ready items, tests go
 * first, then by unique id. Cycles cannot happen in a loaded project; if one does, the remaining
 * items follow in id order.
 */
export function executionOrder(project: DbtProject, select: readonly string[]): OrderedItem[] {
  const selected = new Set(select);
  const reads = new Map<string, string[]>();
  const readsOf = (id: string): string[] => {
    const cached = reads.get(id);
    if (cached) return cached;
    reads.set(id, []);
    const direct = project.nodes.get(id)?.dependsOn ?? project.tests.get(id)?.dependsOn ?? [];
    const all = new Set<string>();
    for (const dep of direct) {
      all.add(dep);
      if (project.nodes.get(dep)?.materialized === 'ephemeral') for (const inner of readsOf(dep)) all.add(inner);
    }
    const result = [...all];
    reads.set(id, result);
    return result;
  };
  const ancestors = new Map<string, Set<string>>();
  const ancestorsOf = (id: string): Set<string> => {
    let found = ancestors.get(id);
    if (found) return found;
    found = new Set();
    ancestors.set(id, found);
    for (const dep of project.nodes.get(id)?.dependsOn ?? []) {
      found.add(dep);
      for (const up of ancestorsOf(dep)) found.add(up);
    }
    return found;
  };
  const testsOn = new Map<string, string[]>();
  for (const id of selected) {
    const test = project.tests.get(id);
    if (test?.attachedNode) testsOn.set(test.attachedNode, [...(testsOn.get(test.attachedNode) ?? []), id]);
  }
  const items = [...selected].sort().map((id): OrderedItem => {
    const kind = project.tests.has(id) ? 'test' : 'node';
    const itemReads = readsOf(id);
    const after = new Set(itemReads.filter((dep) => selected.has(dep)));
    if (kind === 'node') {
      for (const dep of itemReads) {
        for (const testId of testsOn.get(dep) ?? []) {
          const testReads = readsOf(testId);
          if (!testReads.some((r) => r === id || ancestorsOf(r).has(id))) after.add(testId);
        }
      }
    }
    return { id, kind, after: [...after], reads: itemReads };
  });

  const done = new Set<string>();
  const ordered: OrderedItem[] = [];
  let pending = items;
  while (pending.length > 0) {
    const ready = pending.filter((item) => item.after.every((dep) => done.has(dep)));
    const next = ready.find((item) => item.kind === 'test') ?? ready[0] ?? pending[0]!;
    ordered.push(next);
    done.add(next.id);
    pending = pending.filter((item) => item !== next);
  }
  return ordered;
}
