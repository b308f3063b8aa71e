// A raw BullMQ worker process for the baseline: each job writes two single-row inserts into an
// events table, the floor any orchestrator on BullMQ + Postgres pays per step. Env: BENCH_PREFIX,
// BENCH_SCHEMA, BENCH_QUEUE, BENCH_CONCURRENCY, SLUICE_BENCH_DATABASE_URL, SLUICE_BENCH_REDIS_URL.
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { DATABASE_URL, REDIS_URL } from './bench-env.js';

const prefix = process.env.BENCH_PREFIX!;
const schema = process.env.BENCH_SCHEMA!;
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });
const worker = new Worker(
  process.env.BENCH_QUEUE ?? 'wide',
  async (job) => {
    await pool.query(`insert into "${schema}".events (run_id, step, type) values ($1, $2, 'STEP_STARTED')`, ['wide', job.id]);
    await pool.query(`insert into "${schema}".events (run_id, step, type) values ($1, $2, 'STEP_SUCCEEDED')`, ['wide', job.id]);
  },
  { connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }), prefix, concurrency: Number(process.env.BENCH_CONCURRENCY ?? 8) },
);
await worker.waitUntilReady();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void worker.close().then(() => pool.end()).then(() => process.exit(0));
});
