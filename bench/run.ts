// `npm run bench`: every Sluice figure beside its baseline measured in the same run, with the ratio.
// Uses the Redis and Postgres given by env (SLUICE_BENCH_* or SLUICE_TEST_*, defaulting to the local
// ones) with fresh schemas and key prefixes; starts nothing it does not own. BENCH_SCALE (default 1)
// shrinks every size for a quick look. Writes bench/results/latest.json and prints a markdown table.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openInstance } from '../src/storage/index.js';
import { loadProject } from '../src/runtime/load-project.js';
import { DATABASE_URL, dropSchema, freshName } from './lib/bench-env.js';
import { withCluster } from './lib/cluster.js';
import { generateProject } from './lib/generate-project.js';
import { round } from './lib/stats.js';
import { backfillLaunch } from './scenarios/backfill-launch.js';
import { baselineChain, baselineWide } from './scenarios/baseline.js';
import { cliColdStart, graphLoad } from './scenarios/graph.js';
import { runInProcess } from './scenarios/in-process.js';
import { launchLatency } from './scenarios/launch-latency.js';
import { chainFigures, runThroughput } from './scenarios/sluice-runs.js';
import { dbtBuild } from './scenarios/dbt-build.js';
import { launchChromium, runPageFigures } from './scenarios/run-page.js';
import { automationEvaluation } from './scenarios/automation-evaluation.js';
import { automationLoopFigures } from './scenarios/automation-loop.js';

const scale = Number(process.env.BENCH_SCALE ?? 1);
/** BENCH_ONLY=bullmq,in-process,backfill,graph,dbt,run-page,automation runs those sections only (default: all). */
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const want = (section: string) => only === undefined || only.includes(section);
const size = (n: number) => Math.max(10, Math.round(n * scale));
const CHAIN = size(1000);
const WIDE = size(10_000);
const LAYERED = size(5000);
const CONCURRENCY = 8;

interface Row {
  scenario: string;
  metric: string;
  sluice: number;
  baseline: number | null;
  ratio: number | null;
  target: string;
  pass: boolean | null;
}
const rows: Row[] = [];
const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

function add(scenario: string, metric: string, sluice: number, baseline: number | null, target: string, pass: (ratio: number | null, value: number) => boolean | null) {
  const ratio = baseline === null ? null : round(sluice / baseline, 3);
  rows.push({ scenario, metric, sluice: round(sluice), baseline: baseline === null ? null : round(baseline), ratio, target, pass: pass(ratio, sluice) });
}

const chainProject = generateProject({ kind: 'chain', n: CHAIN });
const wideProject = generateProject({ kind: 'wide', n: WIDE });
const layeredProject = generateProject({ kind: 'layered', n: LAYERED, width: 50 });
let baseChain = { stepsPerSecond: 0, p50: 0, p99: 0 };
let baseWide = { stepsPerSecond: 0 };
if (want('bullmq') || want('in-process')) {
log(`baseline chain of ${CHAIN} raw BullMQ jobs`);
baseChain = await baselineChain(CHAIN);
log(`baseline ${WIDE} independent raw jobs on 2 worker processes`);
baseWide = await baselineWide(WIDE, CONCURRENCY);


if (want('bullmq')) {
log('Sluice BullMQ chain');
await withCluster(chainProject, { workers: 2, concurrency: CONCURRENCY }, async (c) => {
  const chain = await chainFigures(c.instance.runs, await c.untilEnded((await c.submit('*')).id));
  add('BullMQ, 2 workers: chain', 'steps/s', chain.stepsPerSecond, baseChain.stepsPerSecond, 'ratio >= 0.5', (r) => r !== null && r >= 0.5);
  add('BullMQ, 2 workers: chain', 'per-step p50 ms', chain.p50, baseChain.p50, '<= 2x floor', (_r, v) => v <= 2 * baseChain.p50);
  add('BullMQ, 2 workers: chain', 'per-step p99 ms', chain.p99, baseChain.p99, '-', () => null);
  log('launch latency');
  const latency = await launchLatency(c, 'key:a0', 50);
  add('launch latency (daemon running)', 'p50 ms', latency.p50, null, '<= 50 ms', (_r, v) => v <= 50);
  add('launch latency (daemon running)', 'p99 ms', latency.p99, null, '-', () => null);
});

let memory: Record<string, number> = {};
log('Sluice BullMQ wide');
await withCluster(wideProject, { workers: 2, concurrency: CONCURRENCY }, async (c) => {
  const idle = await c.rss();
  const wide = await runThroughput(c.instance.runs, await c.untilEnded((await c.submit('*')).id));
  const after = await c.rss();
  add(`BullMQ, 2 workers: ${WIDE} independent`, 'steps/s', wide, baseWide.stepsPerSecond, 'ratio >= 0.5', (r) => r !== null && r >= 0.5);
  memory = { daemonIdle: idle.daemon, workerIdle: Math.max(...idle.workers), daemonAfter: after.daemon, workerAfter: Math.max(...after.workers) };
});
const mb = (b: number) => b / (1024 * 1024);
add(`memory, ${WIDE}-asset project`, 'daemon RSS idle MB', mb(memory.daemonIdle!), null, '<= 250 MB', (_r, v) => v <= 250);
add(`memory, ${WIDE}-asset project`, 'worker RSS idle MB', mb(memory.workerIdle!), null, '<= 250 MB', (_r, v) => v <= 250);
add(`memory, ${WIDE}-asset project`, 'daemon RSS after wide run MB', mb(memory.daemonAfter!), null, '<= 250 MB', (_r, v) => v <= 250);
add(`memory, ${WIDE}-asset project`, 'worker RSS after wide run MB', mb(memory.workerAfter!), null, '<= 250 MB', (_r, v) => v <= 250);

log('Sluice BullMQ layered');
await withCluster(layeredProject, { workers: 2, concurrency: CONCURRENCY }, async (c) => {
  const layered = await runThroughput(c.instance.runs, await c.untilEnded((await c.submit('*')).id));
  add(`BullMQ, 2 workers: layered ${LAYERED} (width 50)`, 'steps/s', layered, baseWide.stepsPerSecond, '-', () => null);
});

}
}
for (const dialect of want('in-process') ? (['postgres', 'pglite'] as const) : []) {
  log(`in-process on ${dialect}`);
  const schema = freshName('bench_inproc');
  const instance =
    dialect === 'postgres' ? await openInstance({ kind: 'postgres', connectionString: DATABASE_URL, schema }) : await openInstance({ kind: 'pglite', dataDir: undefined });
  try {
    const chain = await chainFigures(instance.runs, await runInProcess(instance, await loadProject(chainProject), '*', CONCURRENCY));
    add(`in-process on ${dialect}: chain`, 'steps/s', chain.stepsPerSecond, baseChain.stepsPerSecond, '-', () => null);
    const wide = await runThroughput(instance.runs, await runInProcess(instance, await loadProject(wideProject), '*', CONCURRENCY * 2));
    add(`in-process on ${dialect}: ${WIDE} independent`, 'steps/s', wide, baseWide.stepsPerSecond, '-', () => null);
  } finally {
    await instance.close();
    if (dialect === 'postgres') await dropSchema(schema);
  }
}

const BACKFILL = size(1000);
for (const dialect of want('backfill') ? (['postgres', 'pglite'] as const) : []) {
  log(`backfill launch of ${BACKFILL} partitions on ${dialect}`);
  const schema = freshName('bench_backfill');
  const instance =
    dialect === 'postgres' ? await openInstance({ kind: 'postgres', connectionString: DATABASE_URL, schema }) : await openInstance({ kind: 'pglite', dataDir: undefined });
  try {
    const b = await backfillLaunch(instance, BACKFILL, 4);
    add(`backfill launch on ${dialect}: ${BACKFILL} partitions x 4 assets`, 'ms (vs one launch per partition)', b.backfillMs, b.oneByOneMs, '<= 5000 ms', (_r, v) => v <= 5000);
  } finally {
    await instance.close();
    if (dialect === 'postgres') await dropSchema(schema);
  }
}

if (want('graph')) {
log('graph load');
const graph10k = generateProject({ kind: 'layered', n: size(10_000), width: 100 });
const graph50k = generateProject({ kind: 'layered', n: size(50_000), width: 250 });
const g10 = await graphLoad(graph10k, `a${Math.floor(size(10_000) / 2)}`);
const g50 = await graphLoad(graph50k, `a${Math.floor(size(50_000) / 2)}`);
add(`graph: load + validate + select, ${size(10_000)} assets`, 'ms', g10.ms, null, '<= 200 ms', (_r, v) => v <= 200);
add(`graph: load + validate + select, ${size(50_000)} assets`, 'ms', g50.ms, null, '<= 1000 ms', (_r, v) => v <= 1000);
add(`CLI cold start: assets list, ${size(10_000)} assets`, 'ms (median of 3)', cliColdStart(graph10k, 3), null, '<= 2000 ms', (_r, v) => v <= 2000);

}

if (want('automation')) {
  // The baseline is the same evaluation with every automated asset evaluated again (no carry-over).
  const ASSETS = size(5000);
  log(`automation: ${ASSETS} assets, one evaluation after 100 upstream materializations, incremental vs full`);
  const a = automationEvaluation(ASSETS);
  log(`automation: ${JSON.stringify(a)}`);
  const scenario = `automation: ${a.assets} assets (${a.partitioned} daily x ${a.partitions} partitions), eager on ${a.automated}, after 100 upstream materializations`;
  add(scenario, 'incremental evaluation ms (vs full evaluation)', a.incrementalMs, a.fullMs, 'well under 1 s (<= 500 ms)', (_r, v) => v <= 500);
  add(scenario, 'first evaluation ms', a.initialMs, null, '-', () => null);
  // The same graph in the daemon's loop on Postgres: its tracker's reads, the launch and the save included.
  log(`automation loop on Postgres: ${ASSETS} assets, every partition materialized, then 100 reported materializations`);
  const l = await automationLoopFigures(ASSETS);
  log(`automation loop: ${JSON.stringify(l)}`);
  const loopScenario = `automation loop on Postgres: the same ${a.assets} assets (${l.seeded} partitions stored), after 100 reported materializations`;
  add(loopScenario, `tick: read + evaluate ms (${l.incremental.evaluated} evaluated, ${l.incremental.carried} carried; vs a tick evaluating every asset)`, l.incremental.evaluateMs, l.full.evaluateMs, 'well under 1 s (<= 500 ms)', (_r, v) => v <= 500);
  add(loopScenario, 'whole tick ms, launch + save included (vs the same)', l.incremental.tickMs, l.full.tickMs, '-', () => null);
  add(loopScenario, 'first tick ms: load + evaluate + save', l.first.tickMs, null, '-', () => null);
}

if (want('dbt')) {
  const MODELS = size(200);
  log(`dbt: ${MODELS} models, Sluice vs dbt build alone`);
  const instance = await openInstance({ kind: 'pglite', dataDir: undefined });
  try {
    const d = await dbtBuild(instance, MODELS);
    add(`dbt: ${d.models} models with tests (real dbt-core), in-process`, 'wall ms (vs dbt build alone)', d.sluiceMs, d.dbtMs, 'ratio <= 1.2', (r) => r !== null && r <= 1.2);
  } finally {
    await instance.close();
  }
}

if (want('run-page')) {
  // The baseline is the same page on a small run, with steps finishing at the same rate: the
  // ratios are what the run's size costs the page.
  const STEPS = size(5000);
  const SMALL = 300;
  log(`run page: ${STEPS}-step run in progress vs ${SMALL}-step run, 20 steps finishing per second`);
  const browser = await launchChromium();
  try {
    const small = await runPageFigures(browser, SMALL);
    const big = await runPageFigures(browser, STEPS);
    log(`run page: ${JSON.stringify({ small, big })}`);
    const scenario = `run page: ${STEPS}-step run in progress (baseline ${SMALL} steps)`;
    add(scenario, 'time to first render ms (median of 3)', big.firstRenderMs, small.firstRenderMs, '<= 1500 ms', (_r, v) => v <= 1500);
    add(scenario, 'page CPU ms per s, 20 steps/s finishing', big.taskMsPerSecond, small.taskMsPerSecond, 'ratio <= 2', (r) => r !== null && r <= 2);
    add(scenario, 'page script ms per s, 20 steps/s finishing', big.scriptMsPerSecond, small.scriptMsPerSecond, '-', () => null);
  } finally {
    await browser.close();
  }
}

const lines = [
  '| scenario | metric | Sluice | baseline | ratio | target | met |',
  '|---|---|---:|---:|---:|---|---|',
  ...rows.map((r) => `| ${r.scenario} | ${r.metric} | ${r.sluice} | ${r.baseline ?? '-'} | ${r.ratio ?? '-'} | ${r.target} | ${r.pass === null ? '-' : r.pass ? 'yes' : 'NO'} |`),
];
const out = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(out, { recursive: true });
writeFileSync(`${out}latest.json`, JSON.stringify({ at: new Date().toISOString(), scale, node: process.version, rows }, null, 2));
process.stdout.write(`${lines.join('\n')}\n`);
process.exit(0);
