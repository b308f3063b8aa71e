import { describe, expect, it } from 'vitest';
import { groupRequests } from '../../../src/core/automation/group-requests.js';
import { dailyPartitions } from '../../../src/core/partitions/partitions-definition.js';
import { graphOf, noop } from '../../fixtures/graph.js';

const daily = dailyPartitions({ start: '2030-01-01' });
const graph = graphOf([noop('u'), noop('v', ['u']), noop('p', [], { partitions: daily }), noop('q', ['p'], { partitions: daily })]);
const now = new Date('2030-01-20T00:00:00Z');

describe('groupRequests', () => {
  it('puts a chain ready for one partition in one run, with the unpartitioned assets', () => {
    const requested = new Map([['u', ['']], ['v', ['']], ['p', ['2030-01-05']], ['q', ['2030-01-05']]]);
    expect(groupRequests(graph, requested, now)).toEqual([{ kind: 'run', assets: ['u', 'v', 'p', 'q'], partition: '2030-01-05' }]);
  });

  it('makes contiguous partitions of the same assets one backfill, and a gap another launch', () => {
    const requested = new Map([['p', ['2030-01-03', '2030-01-01', '2030-01-02', '2030-01-07']], ['u', ['']]]);
    expect(groupRequests(graph, requested, now)).toEqual([
      { kind: 'backfill', assets: ['p'], from: '2030-01-01', to: '2030-01-03', partitions: ['2030-01-01', '2030-01-02', '2030-01-03'] },
      { kind: 'run', assets: ['u', 'p'], partition: '2030-01-07' },
    ]);
  });

  it('launches unpartitioned assets alone when no single partition is requested, and nothing for nothing', () => {
    expect(groupRequests(graph, new Map([['v', ['']]]), now)).toEqual([{ kind: 'run', assets: ['v'], partition: null }]);
    expect(groupRequests(graph, new Map(), now)).toEqual([]);
  });
});
