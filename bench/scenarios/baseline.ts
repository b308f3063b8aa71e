import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { DATABASE_URL, dropSchema, freshName, freshRedisPrefix, REDIS_URL, withPg } from '../lib/bench-env.js';
import { gaps, quantile } from '../lib/stats.js';
import { waitForLine, type Spawned } from '../lib/processes.js';

async function eventsTable(schema: string): Promise<void> {
  await withPg((c) => c.query(`create schema "${schema}"; create table "${schema}".events (id bigserial primary key, run_id text not null, step text not null, type text not null, at timestamptz not null default now())`));
}

/**
 * The floor: a chain of `n` raw BullMQ jobs, each doing two single-row inserts and then enqueueing
 * the next. Returns per-step gaps (ms) and steps/s.
 */
export async function baselineChain(n: number): Promise<{ p50: number; p99: number; stepsPerSecond: number }> {
  const schema = freshName('bench_base_chain');
  const prefix = freshRedisPrefix();
  await eventsTable(schema);
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
  const conn = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue('chain', { connection: conn, prefix });
  const stamps: number[] = [];
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const worker = new Worker(
    'chain',
    async (job) => {
      const i = job.data.i as number;
      await pool.query(`insert into "${schema}".events (run_id, step, type) values ('chain', $1, 'STEP_STARTED')`, [String(i)]);
      await pool.query(`insert into "${schema}".events (run_id, step, type) values ('chain', $1, 'STEP_SUCCEEDED')`, [String(i)]);
      stamps.push(performance.now());
      if (i + 1 < n) await queue.add('step', { i: i + 1 }, { jobId: `chain__${i + 1}`, removeOnComplete: true });
      else done();
    },
    { connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }), prefix, concurrency: 1 },
  );
  await worker.waitUntilReady();
  const t0 = performance.now();
  await queue.add('step', { i: 0 }, { jobId: 'chain__0', removeOnComplete: true });
  await finished;
  const elapsed = performance.now() - t0;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  conn.disconnect();
  await pool.end();
  await dropSchema(schema);
  const g = gaps(stamps);
  return { p50: quantile(g, 0.5), p99: quantile(g, 0.99), stepsPerSecond: n / (elapsed / 1000) };
}

/** The floor for wide runs: `n` independent raw jobs on 2 worker processes. Returns steps/s. */
export async function baselineWide(n: number, concurrency: number): Promise<{ stepsPerSecond: number }> {
  const schema = freshName('bench_base_wide');
  const prefix = freshRedisPrefix();
  await eventsTable(schema);
  const script = fileURLToPath(new URL('../lib/raw-worker.ts', import.meta.url));
  const workers: Spawned[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      const child = spawn(process.execPath, ['--import', 'tsx', script], {
        env: { ...process.env, BENCH_PREFIX: prefix, BENCH_SCHEMA: schema, BENCH_QUEUE: 'wide', BENCH_CONCURRENCY: String(concurrency) },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      workers.push(child);
      await waitForLine(child, 'ready', 60_000);
    }
    const conn = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue('wide', { connection: conn, prefix });
    const t0 = performance.now();
    for (let start = 0; start < n; start += 1000) {
      await queue.addBulk(Array.from({ length: Math.min(1000, n - start) }, (_, k) => ({ name: 'step', data: {}, opts: { jobId: `wide__${start + k}`, removeOnComplete: true } })));
    }
    await withPg(async (c) => {
      for (;;) {
        const { rows } = await c.query(`select count(*)::int as n from "${schema}".events`);
        if (rows[0].n >= 2 * n) return;
        await new Promise((r) => setTimeout(r, 20));
      }
    });
    const elapsed = performance.now() - t0;
    await queue.obliterate({ force: true });
    await queue.close();
    conn.disconnect();
    return { stepsPerSecond: n / (elapsed / 1000) };
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    await dropSchema(schema);
  }
}
