// `npx tsx bench/tick-lateness.ts`: how late schedule ticks launch their runs. A project with one
// schedule ticking every second (defaultStatus RUNNING) runs under a real daemon (BullMQ on Redis,
// server Postgres, one worker) for TICK_LATENESS_SECONDS (default 60); then, per launched tick,
// lateness = run created (written QUEUED) - scheduled instant, and also tick claimed and run
// STARTED - scheduled instant. Prints p50/p99/max in ms and writes bench/results/tick-lateness.json.
// Never part of `npm test`.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withCluster } from './lib/cluster.js';
import { generateProject } from './lib/generate-project.js';
import { quantile, round } from './lib/stats.js';

const SECONDS = Number(process.env.TICK_LATENESS_SECONDS ?? 60);
const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

const project = generateProject({ kind: 'wide', n: 1 });
writeFileSync(
  join(project, 'schedules', 'every-second.ts'),
  `import { defineSchedule } from 'sluice';
export const everySecond = defineSchedule({ name: 'every_second', cron: '* * * * * *', timezone: 'UTC', select: '*', overlap: 'allow', defaultStatus: 'RUNNING' });
`,
);

const summary = (samples: number[]) => ({ p50: round(quantile(samples, 0.5)), p99: round(quantile(samples, 0.99)), max: round(Math.max(...samples)) });

const result = await withCluster(project, { workers: 1, concurrency: 4 }, async (c) => {
  log(`daemon up; measuring ${SECONDS} s of every-second ticks`);
  const from = Date.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const until = Date.now();
  const ticks = (await c.instance.schedules.listTicks('every_second', { limit: 100_000 })).filter((t) => t.scheduledFor.getTime() >= from && t.scheduledFor.getTime() <= until);
  const created: number[] = [];
  const claimed: number[] = [];
  const started: number[] = [];
  for (const tick of ticks) {
    claimed.push(tick.claimedAt.getTime() - tick.scheduledFor.getTime());
    if (tick.status !== 'SUCCESS' || !tick.runId) continue;
    const run = await c.instance.runs.getRun(tick.runId);
    if (!run) continue;
    created.push(run.createdAt.getTime() - tick.scheduledFor.getTime());
    if (run.startedAt) started.push(run.startedAt.getTime() - tick.scheduledFor.getTime());
  }
  const expected = Math.floor(until / 1000) - Math.ceil(from / 1000) + 1;
  return {
    seconds: SECONDS,
    ticksExpected: expected,
    ticksLaunched: created.length,
    ticksNotSuccess: ticks.filter((t) => t.status !== 'SUCCESS').length,
    claimLatenessMs: summary(claimed),
    launchLatenessMs: summary(created),
    startLatenessMs: summary(started),
  };
});

rmSync(project, { recursive: true, force: true });
const out = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'tick-lateness.json'), `${JSON.stringify({ at: new Date().toISOString(), ...result }, null, 2)}\n`);
process.stdout.write(
  [
    `| every-second schedule, ${result.seconds} s | p50 ms | p99 ms | max ms |`,
    '|---|---|---|---|',
    `| tick claimed | ${result.claimLatenessMs.p50} | ${result.claimLatenessMs.p99} | ${result.claimLatenessMs.max} |`,
    `| run launched (QUEUED) | ${result.launchLatenessMs.p50} | ${result.launchLatenessMs.p99} | ${result.launchLatenessMs.max} |`,
    `| run STARTED | ${result.startLatenessMs.p50} | ${result.startLatenessMs.p99} | ${result.startLatenessMs.max} |`,
    '',
    `ticks due ${result.ticksExpected}, launched ${result.ticksLaunched}, other outcomes ${result.ticksNotSuccess}`,
    '',
  ].join('\n'),
);
