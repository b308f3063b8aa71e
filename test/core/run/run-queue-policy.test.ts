import { describe, expect, it } from 'vitest';
import { pickRunsToStart } from '../../../src/core/run/run-queue-policy.js';
import { CONCURRENCY_KEY_TAG, CONCURRENCY_LIMIT_TAG, EXTERNAL_TAG, PRIORITY_TAG, SERIAL_TAG } from '../../../src/core/run/system-tags.js';

const at = (s: number) => new Date(Date.UTC(2030, 0, 1, 0, 0, s));
const run = (id: string, s: number, tags: Record<string, string> = {}) => ({ id, createdAt: at(s), tags });

describe('pickRunsToStart', () => {
  it('starts everything, oldest first, without limits', () => {
    expect(pickRunsToStart([run('b', 2), run('a', 1)], [], { tagLimits: [] })).toEqual({ start: ['a', 'b'], held: new Map() });
  });

  it('never starts a reported (external) run: its reporter writes its outcome', () => {
    expect(pickRunsToStart([run('reported', 1, { [EXTERNAL_TAG]: 'true' }), run('b', 2)], [], { tagLimits: [] })).toEqual({ start: ['b'], held: new Map() });
  });

  it('fills the free run slots and says why the rest wait', () => {
    const { start, held } = pickRunsToStart([run('a', 1), run('b', 2), run('c', 3)], [{ tags: {} }], { maxConcurrentRuns: 2, tagLimits: [] });
    expect(start).toEqual(['a']);
    expect(held.get('b')).toBe('waiting for a run slot: 2 of SLUICE_MAX_CONCURRENT_RUNS=2 in use');
    expect(held.has('c')).toBe(true);
  });

  it('starts higher priority first', () => {
    const { start } = pickRunsToStart([run('old', 1), run('urgent', 5, { [PRIORITY_TAG]: '10' }), run('low', 2, { [PRIORITY_TAG]: '-1' })], [], {
      maxConcurrentRuns: 2,
      tagLimits: [],
    });
    expect(start).toEqual(['urgent', 'old']);
  });

  it('holds a run at a tag limit without blocking runs the limit does not concern', () => {
    const limits = { tagLimits: [{ key: 'pipeline', value: 'promotion', limit: 1 }] };
    const active = [{ tags: { pipeline: 'promotion' } }];
    const { start, held } = pickRunsToStart([run('p2', 1, { pipeline: 'promotion' }), run('other', 2, { pipeline: 'ingest' })], active, limits);
    expect(start).toEqual(['other']);
    expect(held.get('p2')).toBe('waiting for tag limit pipeline=promotion (at most 1 at once)');
  });

  it('counts runs it starts in the same pass against the limits', () => {
    const limits = { tagLimits: [{ key: 'team', limit: 1 }] };
    const { start, held } = pickRunsToStart([run('a1', 1, { team: 'a' }), run('a2', 2, { team: 'a' }), run('b1', 3, { team: 'b' })], [], limits);
    expect(start).toEqual(['a1', 'b1']);
    expect([...held.keys()]).toEqual(['a2']);
  });

  it('runs sharing a sluice/serial value one at a time, oldest first, without holding other runs', () => {
    const serial = { [SERIAL_TAG]: 'schedule:daily' };
    const queued = [run('tick2', 2, serial), run('tick3', 3, serial), run('other', 4)];
    expect(pickRunsToStart(queued, [{ tags: serial }], { tagLimits: [] })).toEqual({
      start: ['other'],
      held: new Map([
        ['tick2', 'waiting for the previous run with sluice/serial=schedule:daily to finish (one at a time)'],
        ['tick3', 'waiting for the previous run with sluice/serial=schedule:daily to finish (one at a time)'],
      ]),
    });
    expect(pickRunsToStart(queued, [], { tagLimits: [] }).start).toEqual(['tick2', 'other']);
  });

  it('runs sharing a concurrency key at most its limit at once (a backfill\'s --max-concurrent-runs)', () => {
    const bf = { [CONCURRENCY_KEY_TAG]: 'backfill:x', [CONCURRENCY_LIMIT_TAG]: '2' };
    const queued = [run('p1', 1, bf), run('p2', 2, bf), run('p3', 3, bf), run('other', 4)];
    const first = pickRunsToStart(queued, [], { tagLimits: [] });
    expect(first.start).toEqual(['p1', 'p2', 'other']);
    expect(first.held.get('p3')).toBe('waiting for sluice/concurrency_key=backfill:x: 2 of 2 run(s) at once in use');
    expect(pickRunsToStart([run('p3', 3, bf)], [{ tags: bf }], { tagLimits: [] }).start).toEqual(['p3']);
    // Without a limit tag the key admits one run at a time.
    const one = { [CONCURRENCY_KEY_TAG]: 'k' };
    expect(pickRunsToStart([run('a', 1, one), run('b', 2, one)], [], { tagLimits: [] }).start).toEqual(['a']);
  });
});
