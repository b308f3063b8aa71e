import { afterAll, beforeAll } from 'vitest';
import { Redactor } from '../../src/core/redactor.js';
import { BullmqLauncher } from '../../src/execution/bullmq/bullmq-launcher.js';
import { createRedis } from '../../src/execution/bullmq/redis-connection.js';
import { StepWorker } from '../../src/execution/bullmq/step-worker.js';
import { launchRun } from '../../src/execution/launch-run.js';
import { ResourceCache } from '../../src/execution/resource-cache.js';
import { isTerminalRunStatus } from '../../src/core/run/run-status.js';
import type { Instance, RunRecord } from '../../src/storage/instance.js';
import { graphOf } from '../fixtures/graph.js';
import { dropSchema, freshRedisPrefix, freshSchema, openTestPostgres, TEST_REDIS_URL } from '../fixtures/services.js';
import { executorContract } from './executor-contract.js';

const schema = freshSchema();
const prefix = freshRedisPrefix();
let instance: Instance;
beforeAll(async () => {
  instance = await openTestPostgres(schema);
});
afterAll(async () => {
  await instance.close();
  await dropSchema(schema);
  const redis = createRedis(TEST_REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

async function untilEnded(runId: string): Promise<RunRecord> {
  for (;;) {
    const run = (await instance.getRun(runId))!;
    if (isTerminalRunStatus(run.status)) return run;
    await new Promise((r) => setTimeout(r, 25));
  }
}

executorContract('BullMQ with two workers on Postgres and Redis', async (assets, checks = []) => {
  const graph = graphOf(assets, checks);
  const redis = createRedis(TEST_REDIS_URL);
  const resources = new ResourceCache({});
  const workers = ['w1', 'w2'].map(
    (name) =>
      new StepWorker(
        { instance, graph, resources, redactor: new Redactor([]), worker: `test:${name}`, logLevel: 'info', now: () => new Date(), random: () => 0.5, logFlushMs: 20 },
        { redis, prefix, pools: {}, concurrency: 2, lockDurationMs: 5000 },
      ),
  );
  await Promise.all(workers.map((w) => w.start()));
  const launcher = new BullmqLauncher(instance, graph, redis, prefix, {});
  return {
    instance,
    parallelism: 4,
    async materialize(selection, options = {}) {
      const run = await launchRun({ instance, graph }, { selection, trigger: 'test', now: new Date() });
      await instance.setRunStatus(run.id, 'STARTED', new Date());
      await launcher.start(run.id);
      options.signal?.addEventListener('abort', () => void launcher.cancel(run.id), { once: true });
      return untilEnded(run.id);
    },
    async close() {
      await Promise.all(workers.map((w) => w.close(2000)));
      await launcher.close();
      await resources.closeAll();
      redis.disconnect();
    },
  };
});
