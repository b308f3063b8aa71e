import { describe, expect, it } from 'vitest';
import { failedGates, gateCandidates, type StoredCheckResult } from '../../../src/core/checks/failed-gates.js';
import { graphOf, noop, passingCheck } from '../../fixtures/graph.js';

const graph = graphOf(
  [noop('raw'), noop('stg', ['raw']), noop('mart', ['stg']), noop('lookup'), noop('report', ['mart', 'lookup'])],
  [
    passingCheck('raw', 'valid', { blocking: true }),
    passingCheck('raw', 'soft', { blocking: true, severity: 'WARN' }),
    passingCheck('stg', 'advisory'),
    passingCheck('lookup', 'fresh', { blocking: true }),
  ],
);

const result = (assetKey: string, checkName: string, passed: boolean): StoredCheckResult => ({
  assetKey, checkName, passed, runId: `run-${checkName}`, at: new Date('2030-01-01T00:00:00Z'), description: null,
});

describe('cross-run gates', () => {
  it('looks only at unselected upstream assets that have a gating check', () => {
    expect(gateCandidates(graph, new Set(['report']))).toEqual(['lookup', 'raw']);
    expect(gateCandidates(graph, new Set(['raw', 'stg', 'mart', 'report']))).toEqual(['lookup']);
    expect(gateCandidates(graph, new Set(['raw']))).toEqual([]);
  });

  it('gates on failed checks that are gating now, listing the selected assets each holds back', () => {
    const latest = [result('raw', 'valid', false), result('raw', 'soft', false), result('stg', 'advisory', false), result('lookup', 'fresh', true)];
    expect(failedGates(graph, new Set(['mart', 'report']), latest)).toEqual([
      { assetKey: 'raw', checkName: 'valid', runId: 'run-valid', at: new Date('2030-01-01T00:00:00Z'), description: null, blocks: ['mart', 'report'] },
    ]);
  });

  it('ignores results of checks that no longer exist and of selected assets', () => {
    expect(failedGates(graph, new Set(['mart']), [result('raw', 'removed', false)])).toEqual([]);
    expect(failedGates(graph, new Set(['raw', 'stg', 'mart']), [result('raw', 'valid', false)])).toEqual([]);
  });
});
