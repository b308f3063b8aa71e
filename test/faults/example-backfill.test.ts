import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Instance } from '../../src/storage/instance.js';
import { REPO, sluice } from '../fixtures/cli.js';
import { dropSchema, freshRedisPrefix, freshSchema, openTestPostgres, TEST_DATABASE_URL, TEST_REDIS_URL } from '../fixtures/services.js';
import { CliProcess } from './fixtures/cli-process.js';
import { FAST_TIMINGS } from './fixtures/fault-cluster.js';
import { deleteKeys } from './fixtures/redis-keys.js';

// The example project itself (assets/ of this repository) under a daemon and two BullMQ workers,
// its warehouse in a fresh server Postgres database: `sluice backfill` loads 30 days of
// raw/entries, at most 4 runs at once, and follows it to the end.
describe('a 30-day backfill of the example pipeline through BullMQ', () => {
  const database = `sluice_example_bf_${randomUUID().slice(0, 8)}`;
  const schema = freshSchema('sluice_example_bf');
  const prefix = freshRedisPrefix();
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  const processes: CliProcess[] = [];
  let instance: Instance;
  let env: Record<string, string>;

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`create database ${database}`);
    const warehouse = new URL(TEST_DATABASE_URL);
    warehouse.pathname = `/${database}`;
    instance = await openTestPostgres(schema);
    env = {
      SLUICE_DATABASE_URL: TEST_DATABASE_URL,
      SLUICE_DATABASE_SCHEMA: schema,
      SLUICE_REDIS_URL: TEST_REDIS_URL,
      SLUICE_REDIS_PREFIX: prefix,
      SLUICE_WAREHOUSE_URL: warehouse.toString(),
      SLUICE_PROJECT: REPO,
      ...FAST_TIMINGS,
    };
  });

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill('SIGKILL')));
    await instance?.close();
    await dropSchema(schema);
    await deleteKeys(TEST_REDIS_URL, prefix).catch(() => {});
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.end();
  });

  it('materializes every day once and the backfill ends COMPLETED', async () => {
    const spawnReady = async (name: string, args: string[], ready: RegExp) => {
      const proc = new CliProcess(name, args, { cwd: REPO, env });
      processes.push(proc);
      await proc.waitForOutput(ready, 30_000);
    };
    await spawnReady('daemon', ['daemon', '--no-web'], /sluice daemon \S+ ready/);
    await Promise.all(['worker-1', 'worker-2'].map((name) => spawnReady(name, ['worker', '--concurrency', '2'], /sluice worker \S+ ready/)));

    const branch = await sluice(['materialize', '--select', 'key:dev_branch'], { cwd: REPO, env });
    expect(branch.code, branch.stdout + branch.stderr).toBe(0);
    const result = await sluice(
      ['backfill', '--select', 'key:raw/entries', '--from', '2024-10-01', '--to', '2024-10-30', '--max-concurrent-runs', '4', '--json'],
      { cwd: REPO, env },
    );
    expect(result.code, result.stdout + result.stderr + processes.map((p) => p.output.slice(-2000)).join('\n')).toBe(0);
    const summary = JSON.parse(result.stdout) as { backfillId: string; status: string; counts: { done: number } };
    expect(summary).toMatchObject({ status: 'COMPLETED', counts: { done: 30 } });

    const runs = await instance.backfills.listBackfillRuns(summary.backfillId);
    expect(runs).toHaveLength(30);
    expect(runs.every((r) => r.status === 'SUCCESS')).toBe(true);
    const states = await instance.eventLog.assetPartitions(['raw/entries']);
    expect(states.filter((s) => s.status === 'MATERIALIZED')).toHaveLength(30);
    expect((await instance.eventLog.materializations('raw/entries')).map((m) => m.partitionKey).sort()).toEqual(
      Array.from({ length: 30 }, (_, i) => `2024-10-${String(i + 1).padStart(2, '0')}`),
    );
    // The warehouse holds each day's 288 readings once.
    const client = new pg.Client({ connectionString: env.SLUICE_WAREHOUSE_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number; ids: number }>('select count(*)::int as n, count(distinct id)::int as ids from dev.raw_entries');
      expect(rows[0]).toEqual({ n: 30 * 288, ids: 30 * 288 });
    } finally {
      await client.end();
    }
  });
});
