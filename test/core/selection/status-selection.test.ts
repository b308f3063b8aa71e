import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../../src/core/errors.js';
import {
  formatSelection,
  parseSelection,
  resolveSelection,
  SELECTION_STATUSES,
  selectAssets,
  SelectionNeedsStatusError,
  SelectionSyntaxError,
  usesStatus,
  type SelectionStatus,
} from '../../../src/core/selection/index.js';
import { diamondGraph } from './graphs.js';

const sorted = (keys: Iterable<string>): string[] => [...keys].sort();

/** diamond: a -> b -> d -> e, a -> c -> c2 -> d (see graphs.ts); unlisted keys are missing. */
const STATUSES: Record<string, SelectionStatus> = { a: 'fresh', b: 'stale', c: 'failed', d: 'missing' };
const statusOf = (key: string): SelectionStatus => STATUSES[key] ?? 'missing';

function thrown(run: () => unknown): SluiceError {
  try {
    run();
  } catch (error) {
    if (error instanceof SluiceError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('status: selections', () => {
  it('parses each of the four statuses, in any case, into a frozen status node', () => {
    for (const status of SELECTION_STATUSES) {
      const node = parseSelection(`status:${status.toUpperCase()}`);
      expect(node).toEqual({ type: 'status', status });
      expect(Object.isFrozen(node)).toBe(true);
    }
    expect(parseSelection('STATUS:"stale"')).toEqual({ type: 'status', status: 'stale' });
  });

  it('rejects an unknown status, listing the four and suggesting a near one', () => {
    const error = thrown(() => parseSelection('key:a or status:stal')) as SelectionSyntaxError;
    expect(error).toBeInstanceOf(SelectionSyntaxError);
    expect(error.position).toBe(16);
    expect(error.message).toContain("unknown status 'stal' (did you mean status:stale?); status: takes fresh, stale, failed, missing");
    expect(thrown(() => parseSelection('status:running')).message).toContain("unknown status 'running'; status: takes fresh, stale, failed, missing");
    expect(thrown(() => parseSelection('status:*')).message).toContain("unknown status '*'");
  });

  it('round-trips through formatSelection', () => {
    for (const text of ['status:stale', 'not status:fresh', '+status:failed', 'roots(status:missing) and key:a', '(status:stale or status:failed)+1']) {
      const node = parseSelection(text);
      expect(parseSelection(formatSelection(node))).toEqual(node);
    }
    expect(formatSelection(parseSelection('STATUS:Stale+'))).toBe('status:stale+');
  });

  it('resolves against the statuses the caller passes, combined with other clauses', () => {
    const graph = diamondGraph();
    expect(sorted(selectAssets('status:stale', graph, { statusOf }))).toEqual(['b']);
    expect(sorted(selectAssets('status:stale or status:failed', graph, { statusOf }))).toEqual(['b', 'c']);
    expect(sorted(selectAssets('status:stale+', graph, { statusOf }))).toEqual(['b', 'd', 'e']);
    expect(sorted(selectAssets('not status:fresh and not key:d', graph, { statusOf }))).toEqual(['b', 'c', 'c2', 'e']);
    expect(sorted(selectAssets('sinks(status:fresh or status:failed)', graph, { statusOf }))).toEqual(['c']);
    expect(sorted(selectAssets('status:missing', graph, { statusOf: () => 'fresh' }))).toEqual([]);
  });

  it('throws SELECTION_NEEDS_STATUS when a status: clause is resolved without statuses', () => {
    const graph = diamondGraph();
    const error = thrown(() => resolveSelection(parseSelection('key:a or not status:stale'), graph));
    expect(error).toBeInstanceOf(SelectionNeedsStatusError);
    expect(error.code).toBe('SELECTION_NEEDS_STATUS');
    expect(error.message).toContain('status:stale needs asset statuses from the run store');
    expect(error.data).toEqual({ clause: 'status:stale' });
    // Selections without status: need no context.
    expect(sorted(selectAssets('key:a+1', graph))).toEqual(['a', 'b', 'c']);
  });

  it('usesStatus finds a status: clause at any depth, and only then', () => {
    expect(usesStatus(parseSelection('status:fresh'))).toBe(true);
    expect(usesStatus(parseSelection('key:a or (group:x and not 2+status:failed)'))).toBe(true);
    expect(usesStatus(parseSelection('roots(tag:x and status:missing)'))).toBe(true);
    expect(usesStatus(parseSelection('key:a or (group:x and not 2+tag:y) or roots(*)'))).toBe(false);
    expect(usesStatus(parseSelection('a,b++'))).toBe(false);
  });
});
