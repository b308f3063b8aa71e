import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TickRecord } from '../../src/storage/instance.js';
import { FaultCluster } from '../faults/fixtures/fault-cluster.js';
import { waitFor } from '../faults/fixtures/wait-for.js';

/** Schedules that tick every second (croner's 6-field patterns), STOPPED until the test starts them. */
const SCHEDULES = `
import { defineSchedule } from 'sluice';
const everySecond = { cron: '* * * * * *', timezone: 'UTC', select: '*', overlap: 'allow', defaultStatus: 'STOPPED' } as const;
export const race = defineSchedule({ name: 'race', ...everySecond });
export const catchLatest = defineSchedule({ name: 'catch_latest', ...everySecond, catchup: { policy: 'latest' } });
export const catchAll = defineSchedule({ name: 'catch_all', ...everySecond, catchup: { policy: 'all', max: 3 } });
`;

const SECOND = 1000;

async function succeeded(cluster: FaultCluster, schedule: string): Promise<TickRecord[]> {
  return (await cluster.instance.schedules.listTicks(schedule, { limit: 1000 })).filter((t) => t.status === 'SUCCESS').reverse();
}

async function startSchedules(cluster: FaultCluster, ...names: string[]): Promise<void> {
  for (const name of names) {
    const res = await cluster.cli(['schedules', 'start', name]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
  }
}

// Two daemons, one schedule ticking every second, real Postgres and Redis: each tick launches one run.
describe('scheduler: two daemons racing', () => {
  let cluster: FaultCluster;
  beforeAll(async () => {
    cluster = await FaultCluster.start({ assets: [{ key: 'load', sleepMs: 10 }], files: { 'schedules/every-second.ts': SCHEDULES } });
  });
  afterAll(async () => {
    await cluster?.destroy();
  });

  it('launches exactly one run per tick, tagged with its schedule and instant', async () => {
    const daemons = await Promise.all([cluster.daemon('daemon-1'), cluster.daemon('daemon-2')]);
    await startSchedules(cluster, 'race');
    await waitFor('6 launched ticks', async () => (await succeeded(cluster, 'race')).length >= 6 || undefined, { timeoutMs: 30_000, context: () => cluster.diagnostics() });
    expect((await cluster.cli(['schedules', 'stop', 'race'])).code).toBe(0);
    // Let a pass that was claiming when the schedule stopped finish.
    await new Promise((r) => setTimeout(r, 1500));

    const ticks = await cluster.instance.schedules.listTicks('race', { limit: 1000 });
    expect(ticks.filter((t) => t.status !== 'SUCCESS')).toEqual([]);
    const instants = ticks.map((t) => t.scheduledFor.getTime());
    expect(new Set(instants).size).toBe(ticks.length);
    expect(instants.every((ms) => ms % SECOND === 0)).toBe(true);

    const runs = (await cluster.instance.runs.listRuns({ limit: 1000 })).filter((r) => r.tags['sluice/schedule'] === 'race');
    expect(runs).toHaveLength(ticks.length);
    const runByTick = new Map(runs.map((r) => [r.tags['sluice/scheduled_for'], r]));
    for (const tick of ticks) {
      const run = runByTick.get(tick.scheduledFor.toISOString());
      expect(run?.id).toBe(tick.runId);
      expect(run?.trigger).toBe('schedule:race');
    }
    expect(daemons.every((d) => d.alive)).toBe(true);
  });
});

// One daemon, stopped across several ticks and restarted: the catch-up policy decides what runs.
describe('scheduler: a daemon stopped across ticks and restarted', () => {
  let cluster: FaultCluster;
  beforeAll(async () => {
    cluster = await FaultCluster.start({ assets: [{ key: 'load', sleepMs: 10 }], files: { 'schedules/every-second.ts': SCHEDULES } });
  });
  afterAll(async () => {
    await cluster?.destroy();
  });

  it('launches the latest missed tick for latest, the last max for all, and none from the downtime before them', async () => {
    await startSchedules(cluster, 'catch_latest', 'catch_all');
    const first = await cluster.daemon('daemon-first');
    await waitFor('2 ticks of each schedule', async () => ((await succeeded(cluster, 'catch_latest')).length >= 2 && (await succeeded(cluster, 'catch_all')).length >= 2) || undefined, {
      timeoutMs: 30_000,
      context: () => cluster.diagnostics(),
    });
    expect(await first.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    const cursorLatest = (await cluster.instance.schedules.getScheduleState('catch_latest'))!.cursor!.getTime();
    const cursorAll = (await cluster.instance.schedules.getScheduleState('catch_all'))!.cursor!.getTime();
    // Down for more than five ticks.
    await new Promise((r) => setTimeout(r, 5500));
    await cluster.daemon('daemon-again');
    const after = async (name: string, cursor: number) => (await succeeded(cluster, name)).filter((t) => t.scheduledFor.getTime() > cursor).map((t) => t.scheduledFor.getTime());
    await waitFor('ticks after the restart', async () => ((await after('catch_latest', cursorLatest)).length >= 2 && (await after('catch_all', cursorAll)).length >= 4) || undefined, {
      timeoutMs: 30_000,
      context: () => cluster.diagnostics(),
    });
    const latest = await after('catch_latest', cursorLatest);
    const all = await after('catch_all', cursorAll);
    // The first pass after the restart saw more than five missed ticks. latest launched only the
    // newest of them; all launched the newest three (max), oldest first, at the same instant.
    expect(latest[0]! - cursorLatest).toBeGreaterThanOrEqual(5 * SECOND);
    expect(all[0]! - cursorAll).toBeGreaterThanOrEqual(3 * SECOND);
    expect([all[1]! - all[0]!, all[2]! - all[1]!]).toEqual([SECOND, SECOND]);
    expect(all[2]).toBe(latest[0]);
    // No tick of the downtime before those has a row, and nothing was launched twice.
    for (const name of ['catch_latest', 'catch_all']) {
      const ticks = await cluster.instance.schedules.listTicks(name, { limit: 1000 });
      expect(ticks.filter((t) => t.status !== 'SUCCESS')).toEqual([]);
      const runs = (await cluster.instance.runs.listRuns({ limit: 1000 })).filter((r) => r.tags['sluice/schedule'] === name);
      expect(runs.map((r) => r.id).sort()).toEqual(ticks.map((t) => t.runId).sort());
    }
  });
});
