import { afterAll, beforeAll } from 'vitest';
import type { Instance } from '../../src/storage/instance.js';
import { bullmqCluster } from '../fixtures/bullmq-cluster.js';
import { dropSchema, freshSchema, openTestPostgres } from '../fixtures/services.js';
import { executorContract, type OpenExecutor } from './executor-contract.js';
import { multiAssetContract } from './multi-asset-contract.js';

const schema = freshSchema();
let instance: Instance;
beforeAll(async () => {
  instance = await openTestPostgres(schema);
});
afterAll(async () => {
  await instance.close();
  await dropSchema(schema);
});

const open: OpenExecutor = async (assets, checks = [], options = {}) => {
  const cluster = await bullmqCluster(instance, assets, checks, { workers: ['w1', 'w2'], concurrency: 2, ...(options.secrets ? { secrets: options.secrets } : {}) });
  return {
    instance,
    parallelism: 4,
    async materialize(selection, options = {}) {
      const run = await cluster.run(selection, options.config);
      options.signal?.addEventListener('abort', () => void cluster.launcher.cancel(run.id), { once: true });
      return cluster.untilEnded(run.id);
    },
    close: () => cluster.close(),
  };
};

executorContract('BullMQ with two workers on Postgres and Redis', open);
multiAssetContract('BullMQ with two workers on Postgres and Redis', open);
