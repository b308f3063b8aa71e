import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyAssetDefinition } from '../../src/core/asset/asset-definition.js';
import { defineAsset } from '../../src/core/asset/define-asset.js';
import type { Instance } from '../../src/storage/instance.js';
import { bullmqCluster } from '../fixtures/bullmq-cluster.js';
import { dropSchema, freshSchema, openTestPostgres } from '../fixtures/services.js';

const schema = freshSchema();
let instance: Instance;
beforeAll(async () => {
  instance = await openTestPostgres(schema);
});
afterAll(async () => {
  await instance.close();
  await dropSchema(schema);
});

/** Two workers (`sem:a`, `sem:b`, 2 steps each) on a fresh prefix, running `assets`. */
function cluster(assets: AnyAssetDefinition[], pools: Record<string, number> = {}) {
  return bullmqCluster(instance, assets, [], { workers: ['sem_a', 'sem_b'], concurrency: 2, pools });
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
      expect((await c.untilEnded(run.id)).status).toBe('SUCCESS');
    } finally {
      await c.close();
    }
    expect(pool.peak).toBe(1);
    expect(free.peak).toBeGreaterThan(1);
  });

  it('records which worker ran each step', async () => {
    const c = await cluster(Array.from({ length: 6 }, (_, i) => defineAsset({ key: `who_${i}`, materialize: () => new Promise((r) => setTimeout(r, 30)) })));
    try {
      const run = await c.run('*');
      await c.untilEnded(run.id);
      const workers = new Set((await instance.runs.listSteps(run.id)).map((s) => s.worker));
      expect([...workers].every((w) => w === 'test:sem_a' || w === 'test:sem_b')).toBe(true);
      expect(workers.size).toBe(2);
    } finally {
      await c.close();
    }
  });
});
