import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countByStep, countMarks, once } from './fixtures/event-tally.js';
import { FaultCluster } from './fixtures/fault-cluster.js';
import { RedisServer } from './fixtures/redis-server.js';
import { waitFor } from './fixtures/wait-for.js';

const STEPS = ['after_short', 'join', 'long1', 'long2', 'long3', 'short', 'waits'];

// Fault: Redis restarts mid-run without persistence (this test's own redis-server, so the shared
// one is untouched). Every BullMQ key is lost: the jobs of the four running steps, and the waiting
// job of `waits`. While Redis is down, `short` finishes, so its worker must hand `after_short` over
// once it reconnects. After the restart the long steps finish, and the run monitor re-enqueues
// `waits` from Postgres (only it can: no finishing step would enqueue it).
describe('Redis restarted mid-run', () => {
  let redis: RedisServer;
  let cluster: FaultCluster;
  beforeAll(async () => {
    redis = await RedisServer.start();
    cluster = await FaultCluster.start({
      redisUrl: redis.url,
      assets: [
        { key: 'long1', sleepMs: 0, gate: 'restarted' },
        { key: 'long2', sleepMs: 0, gate: 'restarted' },
        { key: 'long3', sleepMs: 0, gate: 'restarted' },
        { key: 'short', sleepMs: 0, gate: 'redis-down' },
        { key: 'waits', sleepMs: 100 },
        { key: 'after_short', deps: ['short'], sleepMs: 100 },
        { key: 'join', deps: ['long1', 'long2', 'long3', 'waits', 'after_short'], sleepMs: 100 },
      ],
    });
  });
  afterAll(async () => {
    await cluster?.destroy();
    await redis?.stop();
  });

  it('reconnects every process, rebuilds the lost queue from Postgres, and completes the run', async () => {
    const daemon = await cluster.daemon();
    // Four slots for five ready steps: long1-3 and short run, `waits` (last in key order) waits.
    const workers = await Promise.all([cluster.worker('worker-1', 2), cluster.worker('worker-2', 2)]);
    const { proc: follower, runId } = await cluster.materialize('*');
    await cluster.waitForMark('long1-3 and short started', () => {
      const started = new Set(cluster.marks(runId).filter((m) => m.event === 'start').map((m) => m.step));
      return ['long1', 'long2', 'long3', 'short'].every((s) => started.has(s));
    });
    expect(await cluster.job(runId, 'waits', 1)).toBeDefined();

    const killedAt = Date.now();
    await redis.stop();
    cluster.openGate('redis-down');
    // `short` is recorded SUCCEEDED in Postgres while Redis is down; its worker's enqueue of
    // `after_short` has to wait for the reconnect.
    await waitFor('short recorded SUCCEEDED while Redis is down', async () => (await cluster.events(runId, ['STEP_SUCCEEDED'])).some((e) => e.stepKey === 'short'), {
      context: () => cluster.diagnostics(),
    });
    await new Promise((r) => setTimeout(r, 1000));
    await redis.start();
    cluster.openGate('restarted');

    expect((await follower.waitForExit(30_000)).code, cluster.diagnostics()).toBe(0);
    expect((await cluster.instance.runs.getRun(runId))!.status).toBe('SUCCESS');
    const events = await cluster.events(runId);
    expect(countByStep(events, 'STEP_STARTED')).toEqual(once(STEPS));
    expect(countByStep(events, 'STEP_SUCCEEDED')).toEqual(once(STEPS));
    expect(countByStep(events, 'MATERIALIZATION')).toEqual(once(STEPS));
    expect(countByStep(events, 'STEP_FAILED')).toEqual({});
    // User code ran once per step; `waits` (whose job was lost) only after Redis went away.
    const marks = cluster.marks(runId);
    expect(countMarks(marks, 'start')).toEqual(once(STEPS));
    expect(countMarks(marks, 'end')).toEqual(once(STEPS));
    expect(marks.find((m) => m.step === 'waits' && m.event === 'start')!.at).toBeGreaterThan(killedAt);

    expect([daemon, ...workers].map((p) => [p.name, p.alive])).toEqual([
      ['daemon', true],
      ['worker-1', true],
      ['worker-2', true],
    ]);
    expect(await cluster.jobCounts()).toMatchObject({ active: 0, waiting: 0, delayed: 0 });
  });
});
