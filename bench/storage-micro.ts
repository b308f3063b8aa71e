// `npx tsx bench/storage-micro.ts [postgres|pglite]...`: the storage hot path alone, no queue, no
// user code. Per dialect (both by default; Postgres in a fresh schema it drops afterwards, PGlite in
// memory):
//   wide   a run of WIDE_STEPS independent steps; CONCURRENCY loops each take the next step and do
//          startStep, then finishStep(SUCCEEDED with a materialization, STEP_STARTED among its events). Prints steps/s and the
//          p50/p99 of each call, and the mean time of unfinishedStepCount on the run before (every
//          step PENDING) and after.
//   chain  a run of CHAIN_STEPS steps, each depending on the previous; one loop. Prints ms per step
//          (start + finish) as mean and p50/p99.
//   floor  (Postgres only) the same CONCURRENCY loops doing two autocommit single-row inserts per
//          step (what the server allows with no shared row), then two autocommit updates of one
//          shared row per step (the ceiling of any design that holds the run row's lock through
//          each commit, as ordered event ids require).
import { randomUUID } from 'node:crypto';
import { openInstance } from '../src/storage/index.js';
import type { Instance } from '../src/storage/instance.js';
import type { NewEvent } from '../src/core/events.js';
import type { PlanStep } from '../src/core/plan/execution-plan.js';
import { DATABASE_URL, dropSchema, freshName } from './lib/bench-env.js';
import { quantile } from './lib/stats.js';

const WIDE_STEPS = 2_000;
const CHAIN_STEPS = 1_000;
const CONCURRENCY = 16;

type Dialect = 'postgres' | 'pglite';

function step(key: string, deps: string[]): PlanStep {
  return { key, kind: 'asset', assetKey: key, checkName: null, deps };
}

async function newStartedRun(instance: Instance, steps: PlanStep[]): Promise<string> {
  const id = randomUUID();
  await instance.runs.createRun({ id, selection: '*', trigger: 'bench', tags: {}, config: {}, configRef: null, steps, at: new Date() });
  await instance.runs.setRunStatus(id, 'STARTED', new Date());
  return id;
}

async function timed<T>(samples: number[], work: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const result = await work();
  samples.push(performance.now() - t);
  return result;
}

const ms = (values: number[]) => `p50 ${quantile(values, 0.5).toFixed(2)} ms, p99 ${quantile(values, 0.99).toFixed(2)} ms`;
const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

async function wide(instance: Instance): Promise<void> {
  const p = freshName('w');
  const runId = await newStartedRun(instance, Array.from({ length: WIDE_STEPS }, (_, i) => step(`${p}/s${i}`, [])));
  const pendingCounts: number[] = [];
  for (let i = 0; i < 50; i++) await timed(pendingCounts, () => instance.runs.unfinishedStepCount(runId));
  const starts: number[] = [];
  const finishes: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < WIDE_STEPS) {
        const key = `${p}/s${next++}`;
        const started = await timed(starts, () => instance.runs.startStep(runId, key, 1, new Date(), 'bench'));
        if (!started.started) throw new Error(`step ${key} did not start: ${JSON.stringify(started)}`);
        await timed(finishes, () =>
          instance.runs.finishStep(runId, key, { status: 'SUCCEEDED', attempt: 1, at: new Date(), durationMs: 1, materialization: { metadata: { rows: 1 } }, events: [startedEvent(runId, key)] }),
        );
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const counts: number[] = [];
  for (let i = 0; i < 50; i++) await timed(counts, () => instance.runs.unfinishedStepCount(runId));
  const left = await instance.runs.unfinishedStepCount(runId);
  if (left !== 0) throw new Error(`wide: ${left} steps left unfinished`);
  console.log(`  wide  ${WIDE_STEPS} steps x ${CONCURRENCY} loops: ${Math.round(WIDE_STEPS / seconds)} steps/s`);
  console.log(`        startStep  ${ms(starts)}`);
  console.log(`        finishStep ${ms(finishes)}`);
  console.log(`        unfinishedStepCount mean ${mean(pendingCounts).toFixed(2)} ms (${WIDE_STEPS} PENDING), ${mean(counts).toFixed(2)} ms (none)`);
}

async function chain(instance: Instance): Promise<void> {
  const p = freshName('c');
  const key = (i: number) => `${p}/s${i}`;
  const runId = await newStartedRun(instance, Array.from({ length: CHAIN_STEPS }, (_, i) => step(key(i), i === 0 ? [] : [key(i - 1)])));
  const perStep: number[] = [];
  let current: string | undefined = key(0);
  let done = 0;
  while (current !== undefined) {
    const t = performance.now();
    await instance.runs.startStep(runId, current, 1, new Date(), 'bench');
    const finished = await instance.runs.finishStep(runId, current, { status: 'SUCCEEDED', attempt: 1, at: new Date(), durationMs: 1, materialization: { metadata: {} }, events: [startedEvent(runId, current)] });
    perStep.push(performance.now() - t);
    done++;
    current = finished.ready[0];
  }
  if (done !== CHAIN_STEPS) throw new Error(`chain: ran ${done} of ${CHAIN_STEPS} steps`);
  console.log(`  chain ${CHAIN_STEPS} steps, one loop: mean ${mean(perStep).toFixed(2)} ms/step, ${ms(perStep)}`);
}

async function floor(): Promise<void> {
  const table = freshName('bench_floor');
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: DATABASE_URL });
  try {
    await pool.query(`create table ${table} (id bigserial primary key, k text not null, v jsonb not null)`);
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < WIDE_STEPS) {
          const k = `s${next++}`;
          await pool.query(`insert into ${table} (k, v) values ($1, '{}')`, [k]);
          await pool.query(`insert into ${table} (k, v) values ($1, '{}')`, [k]);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    console.log(`  floor two autocommit inserts per step x ${CONCURRENCY} loops: ${Math.round(WIDE_STEPS / seconds)} steps/s`);
    // Two autocommit updates of one shared row per step: every commit (and its WAL flush) waits for
    // the previous one's, as any design does that holds the run row's lock through commit.
    await pool.query(`insert into ${table} (k, v) values ('run', '{}')`);
    next = 0;
    const t1 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < WIDE_STEPS) {
          next++;
          await pool.query(`update ${table} set v = '{}' where k = 'run'`);
          await pool.query(`update ${table} set v = '{}' where k = 'run'`);
        }
      }),
    );
    const serialSeconds = (performance.now() - t1) / 1000;
    console.log(`  floor two autocommit updates of one row per step x ${CONCURRENCY} loops: ${Math.round(WIDE_STEPS / serialSeconds)} steps/s`);
  } finally {
    await pool.query(`drop table if exists ${table}`).catch(() => {});
    await pool.end();
  }
}

async function bench(dialect: Dialect): Promise<void> {
  const schema = freshName('bench_storage');
  const instance =
    dialect === 'postgres' ? await openInstance({ kind: 'postgres', connectionString: DATABASE_URL, schema }) : await openInstance({ kind: 'pglite', dataDir: undefined });
  console.log(dialect === 'postgres' ? `postgres (${schema}, dropped afterwards)` : 'pglite (in memory)');
  try {
    await wide(instance);
    await chain(instance);
    if (dialect === 'postgres') await floor();
  } finally {
    await instance.close();
    if (dialect === 'postgres') await dropSchema(schema);
  }
}

const args = process.argv.slice(2);
const dialects: Dialect[] = args.length === 0 ? ['postgres', 'pglite'] : args.map((arg) => {
  if (arg !== 'postgres' && arg !== 'pglite') throw new Error(`storage-micro: unknown dialect "${arg}" (use postgres or pglite)`);
  return arg;
});
for (const dialect of dialects) await bench(dialect);

/** The step runner writes an attempt's STEP_STARTED with its outcome when the step is short. */
function startedEvent(runId: string, stepKey: string): NewEvent {
  return { type: 'STEP_STARTED', runId, stepKey, at: new Date(), data: { attempt: 1, worker: 'bench' } };
}
