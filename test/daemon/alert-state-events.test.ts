import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineAlert, webhook } from '../../src/index.js';
import { AlertLoop, alertTickSources } from '../../src/daemon/alert-loop.js';
import { defineSchedule } from '../../src/core/schedule/schedule-definition.js';
import { openInstance } from '../../src/storage/index.js';
import type { Instance, TickOutcome } from '../../src/storage/instance.js';
import { graphOf, noop } from '../fixtures/graph.js';
import { CronTicks } from '../../src/scheduler/cron-ticks.js';
import { assetStep, newRun } from '../storage/fixtures.js';
import { HttpReceiver } from './alert-receivers.js';

describe('tick_failure, heartbeat_stale, run_long_running and schedule_late (real HTTP receiver)', () => {
  let instance: Instance;
  const receiver = new HttpReceiver();
  const graph = graphOf([noop('raw'), noop('publish', ['raw'], { group: 'promotion' })]);
  const daily = defineSchedule({ name: 'daily_promotion', cron: '0 6 * * *', timezone: 'Europe/London', select: 'group:promotion' });
  const other = defineSchedule({ name: 'hourly_raw', cron: '0 * * * *', timezone: 'UTC', select: 'raw' });
  const alert = defineAlert({ name: 'ticks', on: ['tick_failure'], select: 'group:promotion', channels: [webhook({ urlEnv: 'HOOK_URL' })] });
  let minute = 0;
  const tick = async (schedule: string, outcome: TickOutcome) => {
    const at = new Date(Date.UTC(2031, 0, 1, 6, minute++));
    const claimed = await instance.schedules.claimTick({ schedule, scheduledFor: at, claimedBy: 'd1', at });
    await instance.schedules.finishTick(claimed!.id, outcome, at);
    return claimed!.id;
  };

  beforeAll(async () => {
    instance = await openInstance({ kind: 'pglite', dataDir: undefined });
    await receiver.start();
  }, 60_000);
  afterAll(async () => {
    await receiver.stop();
    await instance?.close();
  });

  it('alerts once when a schedule turns from success to failure, not while it keeps failing, again after it recovers and fails; not for an unselected schedule', async () => {
    const sources = alertTickSources(graph, [{ definition: daily }, { definition: other }], []);
    expect(sources).toEqual([
      { kind: 'schedule', name: 'daily_promotion', assetKeys: ['publish'] },
      { kind: 'schedule', name: 'hourly_raw', assetKeys: ['raw'] },
    ]);
    const loop = new AlertLoop({ instance, graph, alerts: [alert], tickSources: sources, env: { HOOK_URL: `http://127.0.0.1:${receiver.port}/h` }, claimedBy: 'd1', now: () => new Date(), dashboardUrl: undefined });
    const failure: TickOutcome = { status: 'FAILURE', error: { name: 'Error', message: 'no readings' } };
    const events = () => receiver.posts.map((p) => JSON.parse(p.body) as { event: string; detail: { schedule?: string }; idempotencyKey: string });
    await tick('daily_promotion', { status: 'SUCCESS', runId: 'r1' });
    await tick('hourly_raw', failure);
    await loop.pass();
    expect(receiver.posts).toEqual([]);
    const firstFailure = await tick('daily_promotion', failure);
    await loop.pass();
    await loop.pass();
    expect(events().map((e) => [e.event, e.detail.schedule, e.idempotencyKey])).toEqual([['tick_failure', 'daily_promotion', `ticks:webhook:HOOK_URL:tick_failure:schedule:daily_promotion:${firstFailure}`]]);
    await tick('daily_promotion', { status: 'SKIPPED', reason: 'overlap' });
    await tick('daily_promotion', failure);
    await loop.pass();
    expect(receiver.posts).toHaveLength(1);
    await tick('daily_promotion', { status: 'SUCCESS', runId: 'r2' });
    await loop.pass();
    await tick('daily_promotion', failure);
    await loop.pass();
    expect(events().map((e) => e.event)).toEqual(['tick_failure', 'tick_failure']);
  });

  it('alerts once per process whose heartbeat went stale, not for a live one, and not twice', async () => {
    const now = new Date();
    const beat = (id: string, ageMs: number) =>
      instance.coordination.heartbeat({ id, kind: 'worker', host: 'h1', pid: 1, startedAt: new Date(now.getTime() - 600_000), at: new Date(now.getTime() - ageMs), info: {} });
    await beat('worker:h1:1:dead', 60_000);
    await beat('worker:h1:2:alive', 1_000);
    const stale = defineAlert({ name: 'stale', on: ['heartbeat_stale'], channels: [webhook({ urlEnv: 'STALE_URL' })] });
    const loop = new AlertLoop({ instance, graph, alerts: [stale], env: { STALE_URL: `http://127.0.0.1:${receiver.port}/stale` }, claimedBy: 'd1', now: () => now, dashboardUrl: undefined, heartbeatTimeoutMs: 15_000 });
    await loop.pass();
    await loop.pass();
    const posts = receiver.posts.filter((p) => p.path === '/stale').map((p) => JSON.parse(p.body) as { event: string; idempotencyKey: string; detail: Record<string, string> });
    expect(posts.map((p) => [p.event, p.idempotencyKey, p.detail.heartbeat])).toEqual([['heartbeat_stale', 'stale:webhook:STALE_URL:heartbeat_stale:worker:h1:1:dead', 'worker:h1:1:dead']]);
  });

  it('alerts once for a schedule tick missed (none claimed within the grace) and once for one claimed late, not for one on time', async () => {
    const name = 'late_sched';
    const schedule = defineSchedule({ name, cron: '0 6 * * *', timezone: 'UTC', select: 'group:promotion' });
    await instance.schedules.setScheduleStatus(name, 'RUNNING', new Date(Date.UTC(2031, 5, 1)));
    const sources = alertTickSources(graph, [{ definition: schedule, ticks: new CronTicks(schedule.cron, schedule.timezone) }], []);
    const late = defineAlert({ name: 'late', on: ['schedule_late'], channels: [webhook({ urlEnv: 'LATE_URL' })] });
    let now = new Date();
    const loop = new AlertLoop({ instance, graph, alerts: [late], tickSources: sources, env: { LATE_URL: `http://127.0.0.1:${receiver.port}/late` }, claimedBy: 'd1', now: () => now, dashboardUrl: undefined });
    const day = (d: number, h: number, m: number, s = 0) => new Date(Date.UTC(2031, 5, d, h, m, s));
    const claim = (d: number, atMinute: number) => instance.schedules.claimTick({ schedule: name, scheduledFor: day(d, 6, 0), claimedBy: 'd1', at: day(d, 6, atMinute, 5) });
    const posts = () => receiver.posts.filter((p) => p.path === '/late').map((p) => JSON.parse(p.body) as { event: string; idempotencyKey: string; detail: Record<string, unknown> });
    await claim(2, 0); // on time
    now = day(2, 6, 5);
    await loop.pass();
    now = day(3, 6, 0, 30); // due, but the 60 s grace has not passed
    await loop.pass();
    expect(posts()).toEqual([]);
    now = day(3, 6, 2); // missed
    await loop.pass();
    await claim(3, 3); // then launched late: the same tick, no second alert
    now = day(3, 6, 4);
    await loop.pass();
    await claim(4, 10); // a tick claimed 10 minutes late (a scheduler catching up)
    now = day(4, 6, 11);
    await loop.pass();
    await loop.pass();
    expect(posts().map((p) => [p.event, p.idempotencyKey, p.detail])).toEqual([
      ['schedule_late', `late:webhook:LATE_URL:schedule_late:${name}:${day(3, 6, 0).toISOString()}`, { schedule: name, scheduledFor: day(3, 6, 0).toISOString(), missed: true }],
      ['schedule_late', `late:webhook:LATE_URL:schedule_late:${name}:${day(4, 6, 0).toISOString()}`, { schedule: name, scheduledFor: day(4, 6, 0).toISOString(), lateSeconds: 605 }],
    ]);
  });

  it('alerts once for a run still going past longRunningMinutes, matching its assets against select; not for a shorter one', async () => {
    const now = new Date();
    const long = newRun([assetStep('publish')]);
    const short = newRun([assetStep('publish')]);
    const unselected = newRun([assetStep('raw')]);
    for (const [run, minutesAgo] of [[long, 45], [short, 5], [unselected, 45]] as const) {
      await instance.runs.createRun({ ...run, at: new Date(now.getTime() - minutesAgo * 60_000) });
      await instance.runs.setRunStatus(run.id, 'STARTED', new Date(now.getTime() - minutesAgo * 60_000));
    }
    const slow = defineAlert({ name: 'slow', on: ['run_long_running'], longRunningMinutes: 30, select: 'group:promotion', channels: [webhook({ urlEnv: 'SLOW_URL' })] });
    const loop = new AlertLoop({ instance, graph, alerts: [slow], env: { SLOW_URL: `http://127.0.0.1:${receiver.port}/slow` }, claimedBy: 'd1', now: () => now, dashboardUrl: undefined });
    await loop.pass();
    await loop.pass();
    const posts = receiver.posts.filter((p) => p.path === '/slow').map((p) => JSON.parse(p.body) as { event: string; runId: string; idempotencyKey: string; detail: Record<string, unknown> });
    expect(posts.map((p) => [p.event, p.runId, p.idempotencyKey, p.detail.limitMinutes])).toEqual([['run_long_running', long.id, `slow:webhook:SLOW_URL:run_long_running:${long.id}`, 30]]);
  });
});
