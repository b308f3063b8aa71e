/**
 * A dependency cycle among `items` as ids in dependency order (`[a, b, a]`: a depends on b, b on
 * a), or undefined. Deps that are not items (sources) are ignored.
 */
export function findCycle(items: ReadonlyArray<{ readonly id: string; readonly deps: readonly string[] }>): string[] | undefined {
  const deps = new Map(items.map((item) => [item.id, item.deps]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const dep of deps.get(id) ?? []) {
      if (!deps.has(dep)) continue;
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const item of [...items].sort((a, b) => a.id.localeCompare(b.id))) {
    const cycle = visit(item.id);
    if (cycle) return cycle;
  }
  return undefined;
}
