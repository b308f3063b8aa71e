import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyAssetDefinition } from '../../src/core/asset/asset-definition.js';
import { defineAsset } from '../../src/core/asset/define-asset.js';
import { Redactor } from '../../src/core/redactor.js';
import { isTerminalRunStatus } from '../../src/core/run/run-status.js';
import { BullmqLauncher } from '../../src/execution/bullmq/bullmq-launcher.js';
import { createRedis } from '../../src/execution/bullmq/redis-connection.js';
import { StepWorker } from '../../src/execution/bullmq/step-worker.js';
import { launchRun } from '../../src/execution/launch-run.js';
import { ResourceCache } from '../../src/execution/resource-cache.js';
import type { Instance, RunRecord } from '../../src/storage/instance.js';
import { graphOf } from '../fixtures/graph.js';
import { dropSchema, freshRedisPrefix, freshSchema, openTestPostgres, TEST_REDIS_URL } from '../fixtures/services.js';

const schema = freshSchema();
let instance: Instance;
beforeAll(async () => {
  instance = await openTestPostgres(schema);
});
afterAll(async () => {
  await instance.close();
  await dropSchema(schema);
});

/** Two workers (2 steps each) on a fresh prefix, running `assets`; `pools` as SLUICE_POOLS would give. */
async function cluster(assets: AnyAssetDefinition[], pools: Record<string, number> = {}) {
  const prefix = freshRedisPrefix();
  const graph = graphOf(assets);
  const redis = createRedis(TEST_REDIS_URL);
  const workers = ['a', 'b'].map(
    (name) =>
      new StepWorker(
        { instance, graph, resources: new ResourceCache({}), redactor: new Redactor([]), worker: `sem:${name}`, logLevel: 'info', now: () => new Date(), random: () => 0.5 },
        { redis, prefix, pools, concurrency: 2, lockDurationMs: 5000, assetBusyDelayMs: 20 },
      ),
  );
  const launcher = new BullmqLauncher(instance, graph, redis, prefix, pools);
  await launcher.queue.applyPoolLimits();
  await Promise.all(workers.map((w) => w.start()));
  return {
    async run(selection: string): Promise<RunRecord> {
      const run = await launchRun({ instance, graph }, { selection, trigger: 'test', now: new Date() });
      await instance.setRunStatus(run.id, 'STARTED', new Date());
      await launcher.start(run.id);
      return run;
    },
    async close() {
      await Promise.all(workers.map((w) => w.close(2000)));
      await launcher.close();
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    },
  };
}

async function untilEnded(runId: string): Promise<RunRecord> {
  for (;;) {
    const run = (await instance.getRun(runId))!;
    if (isTerminalRunStatus(run.status)) return run;
    await new Promise((r) => setTimeout(r, 20));
  }
}

function overlapProbe() {
  let running = 0;
  let peak = 0;
  return {
    get peak() {
      return peak;
    },
    async hold(ms: number) {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, ms));
      running--;
    },
  };
}

describe('BullMQ execution semantics', () => {
  it('holds a pool to its limit across all workers', async () => {
    const pool = overlapProbe();
    const free = overlapProbe();
    const c = await cluster(
      [
        ...Array.from({ length: 4 }, (_, i) => defineAsset({ key: `pool_dbt_${i}`, pool: 'dbt', materialize: () => pool.hold(40) })),
        ...Array.from({ length: 4 }, (_, i) => defineAsset({ key: `pool_free_${i}`, materialize: () => free.hold(40) })),
      ],
      { dbt: 1 },
    );
    try {
      const run = await c.run('*');
      expect((await untilEnded(run.id)).status).toBe('SUCCESS');
    } finally {
      await c.close();
    }
    expect(pool.peak).toBe(1);
    expect(free.peak).toBeGreaterThan(1);
  });

  it('never materializes one asset in two runs at once; the second run waits for it', async () => {
    const probe = overlapProbe();
    const c = await cluster([defineAsset({ key: 'shared_asset', materialize: () => probe.hold(60) })]);
    try {
      const runs = await Promise.all([c.run('*'), c.run('*'), c.run('*')]);
      const ended = await Promise.all(runs.map((r) => untilEnded(r.id)));
      expect(ended.map((r) => r.status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
    } finally {
      await c.close();
    }
    expect(probe.peak).toBe(1);
    expect(await instance.listAssetLocks()).toEqual([]);
  });

  it('records which worker ran each step', async () => {
    const c = await cluster(Array.from({ length: 6 }, (_, i) => defineAsset({ key: `who_${i}`, materialize: () => new Promise((r) => setTimeout(r, 30)) })));
    try {
      const run = await c.run('*');
      await untilEnded(run.id);
      const workers = new Set((await instance.listSteps(run.id)).map((s) => s.worker));
      expect([...workers].every((w) => w === 'sem:a' || w === 'sem:b')).toBe(true);
      expect(workers.size).toBe(2);
    } finally {
      await c.close();
    }
  });
});
