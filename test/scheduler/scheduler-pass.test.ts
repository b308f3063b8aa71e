import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineSchedule, type ScheduleSpec } from '../../src/core/schedule/schedule-definition.js';
import { CronTicks } from '../../src/scheduler/cron-ticks.js';
import { scheduleRunId } from '../../src/scheduler/schedule-run-id.js';
import { runSchedulerPass, STALE_TICK_MS, type ScheduleTarget } from '../../src/scheduler/scheduler-pass.js';
import type { Instance } from '../../src/storage/instance.js';
import { openInstance } from '../../src/storage/index.js';
import { graphOf, noop } from '../fixtures/graph.js';
import { fresh } from '../storage/fixtures.js';

let instance: Instance;
beforeAll(async () => {
  instance = await openInstance({ kind: 'pglite', dataDir: undefined });
});
afterAll(() => instance.close());

const graph = graphOf([noop('load'), noop('publish', ['load'])]);
const T = (iso: string) => new Date(iso);

/** A schedule at 06:00 UTC daily, started at 05:00 on 2030-01-01 unless `defaultStatus` says otherwise. */
function target(overrides: Partial<ScheduleSpec> = {}): ScheduleTarget {
  const definition = defineSchedule({ name: fresh('daily'), cron: '0 6 * * *', timezone: 'UTC', select: '+key:publish', defaultStatus: 'RUNNING', ...overrides });
  return { definition, ticks: new CronTicks(definition.cron, definition.timezone) };
}

function deps(schedules: ScheduleTarget[], claimedBy = 'daemon-a', launched: string[] = []) {
  return { instance, graph, schedules, claimedBy, clock: () => new Date(), onLaunched: (runId: string) => launched.push(runId) };
}

async function started(t: ScheduleTarget, at = T('2030-01-01T05:00:00Z')): Promise<void> {
  await instance.schedules.setScheduleStatus(t.definition.name, 'RUNNING', at);
}

describe('runSchedulerPass', () => {
  it('launches the due tick once: a run with the schedule trigger, tags and the tick-derived id; the cursor moves to it', async () => {
    const t = target({ tags: { team: 'data' } });
    await started(t);
    const launched: string[] = [];
    const first = await runSchedulerPass(deps([t], 'daemon-a', launched), T('2030-01-01T06:00:00.250Z'));
    const runId = scheduleRunId(t.definition.name, T('2030-01-01T06:00:00Z'));
    expect(first.errors).toEqual([]);
    expect(first.decisions).toEqual([{ schedule: t.definition.name, scheduledFor: T('2030-01-01T06:00:00Z'), status: 'SUCCESS', runId }]);
    expect(launched).toEqual([runId]);
    expect(await instance.runs.getRun(runId)).toMatchObject({
      status: 'QUEUED',
      selection: '+key:publish',
      trigger: `schedule:${t.definition.name}`,
      tags: { team: 'data', 'sluice/schedule': t.definition.name, 'sluice/scheduled_for': '2030-01-01T06:00:00.000Z' },
    });
    expect((await instance.runs.listSteps(runId)).map((s) => s.key)).toEqual(['load', 'publish']);
    expect((await instance.schedules.getScheduleState(t.definition.name))?.cursor).toEqual(T('2030-01-01T06:00:00Z'));
    expect(await instance.schedules.listTicks(t.definition.name)).toMatchObject([{ status: 'SUCCESS', runId, claimedBy: 'daemon-a' }]);

    const again = await runSchedulerPass(deps([t]), T('2030-01-01T06:00:05Z'));
    expect(again.decisions).toEqual([]);
  });

  it('of concurrent passes over the same tick exactly one launches its run', async () => {
    const t = target({ overlap: 'allow' });
    await started(t);
    const now = T('2030-01-01T06:00:00.100Z');
    const results = await Promise.all(['a', 'b', 'c'].map((d) => runSchedulerPass(deps([t], d), now)));
    expect(results.flatMap((r) => r.decisions).map((d) => d.status)).toEqual(['SUCCESS']);
    expect((await instance.runs.listRuns({ limit: 1000 })).filter((r) => r.tags['sluice/schedule'] === t.definition.name)).toHaveLength(1);
  });

  it('does nothing for a STOPPED schedule, and writes the defaultStatus of a schedule never seen', async () => {
    const t = target({ defaultStatus: 'STOPPED' });
    const result = await runSchedulerPass(deps([t]), T('2030-01-01T06:00:00Z'));
    expect(result).toEqual({ decisions: [], errors: [] });
    expect(await instance.schedules.getScheduleState(t.definition.name)).toMatchObject({ status: 'STOPPED', startedAt: null });
    expect(await instance.schedules.listTicks(t.definition.name)).toEqual([]);
  });

  it('a schedule RUNNING by default starts when a scheduler first sees it, so no earlier tick runs', async () => {
    const t = target();
    expect((await runSchedulerPass(deps([t]), T('2030-01-03T07:00:00Z'))).decisions).toEqual([]);
    expect(await instance.schedules.getScheduleState(t.definition.name)).toMatchObject({ status: 'RUNNING', startedAt: T('2030-01-03T07:00:00Z') });
    expect((await runSchedulerPass(deps([t]), T('2030-01-04T06:00:00Z'))).decisions.map((d) => d.scheduledFor)).toEqual([T('2030-01-04T06:00:00Z')]);
  });

  it('overlap skip records a SKIPPED tick while the previous run is unfinished, and launches again once it ended', async () => {
    const t = target({ overlap: 'skip' });
    await started(t);
    const [first] = (await runSchedulerPass(deps([t]), T('2030-01-01T06:00:00Z'))).decisions;
    const [second] = (await runSchedulerPass(deps([t]), T('2030-01-02T06:00:00Z'))).decisions;
    expect(second).toMatchObject({ status: 'SKIPPED', reason: `run ${first!.runId} of the tick at 2030-01-01T06:00:00.000Z is still QUEUED (overlap: skip)` });
    expect(await instance.runs.getRun(scheduleRunId(t.definition.name, T('2030-01-02T06:00:00Z')))).toBeUndefined();
    await instance.runs.setRunStatus(first!.runId!, 'CANCELED', new Date());
    const [third] = (await runSchedulerPass(deps([t]), T('2030-01-03T06:00:00Z'))).decisions;
    expect(third).toMatchObject({ status: 'SUCCESS' });
    expect((await instance.schedules.listTicks(t.definition.name)).map((tick) => tick.status)).toEqual(['SUCCESS', 'SKIPPED', 'SUCCESS']);
  });

  it('overlap queue launches every tick, tagged so the run queue starts them one at a time', async () => {
    const t = target({ overlap: 'queue' });
    await started(t);
    const a = (await runSchedulerPass(deps([t]), T('2030-01-01T06:00:00Z'))).decisions[0]!;
    const b = (await runSchedulerPass(deps([t]), T('2030-01-02T06:00:00Z'))).decisions[0]!;
    expect([a.status, b.status]).toEqual(['SUCCESS', 'SUCCESS']);
    for (const d of [a, b]) expect((await instance.runs.getRun(d.runId!))?.tags['sluice/serial']).toBe(`schedule:${t.definition.name}`);
  });

  it('catch-up all launches the most recent missed ticks up to max, oldest first', async () => {
    const t = target({ overlap: 'allow', catchup: { policy: 'all', max: 2 } });
    await started(t);
    const result = await runSchedulerPass(deps([t]), T('2030-01-05T09:00:00Z'));
    expect(result.decisions.map((d) => [d.scheduledFor.toISOString(), d.status])).toEqual([
      ['2030-01-04T06:00:00.000Z', 'SUCCESS'],
      ['2030-01-05T06:00:00.000Z', 'SUCCESS'],
    ]);
  });

  it('records a FAILURE tick with the error when the run cannot be launched, and carries on with other schedules', async () => {
    const bad = target({ config: { load: { rows: 1 } } });
    const good = target();
    await started(bad);
    await started(good);
    const result = await runSchedulerPass(deps([bad, good]), T('2030-01-01T06:00:00Z'));
    expect(result.decisions.map((d) => [d.schedule, d.status, d.error?.code])).toEqual([
      [bad.definition.name, 'FAILURE', 'INVALID_RUN_CONFIG'],
      [good.definition.name, 'SUCCESS', undefined],
    ]);
    const [tick] = await instance.schedules.listTicks(bad.definition.name);
    expect(tick).toMatchObject({ status: 'FAILURE', runId: null, error: { code: 'INVALID_RUN_CONFIG' } });
    expect(tick!.error!.message).toContain('"load", which takes no config');
  });

  it('finishes a tick its claimer left STARTED: launches its run with the tick-derived id, or records the run that exists', async () => {
    const t = target();
    await started(t);
    const scheduledFor = T('2030-01-01T06:00:00Z');
    const tick = await instance.schedules.claimTick({ schedule: t.definition.name, scheduledFor, claimedBy: 'dead-daemon', at: scheduledFor });
    await instance.schedules.advanceScheduleCursor(t.definition.name, scheduledFor, scheduledFor);
    const soon = new Date(scheduledFor.getTime() + STALE_TICK_MS - 1000);
    expect((await runSchedulerPass(deps([t]), soon, { recoverStale: true })).decisions).toEqual([]);
    const late = new Date(scheduledFor.getTime() + STALE_TICK_MS);
    const result = await runSchedulerPass(deps([t]), late, { recoverStale: true });
    const runId = scheduleRunId(t.definition.name, scheduledFor);
    expect(result.decisions).toEqual([{ schedule: t.definition.name, scheduledFor, status: 'SUCCESS', runId }]);
    expect(await instance.schedules.listTicks(t.definition.name)).toMatchObject([{ id: tick!.id, status: 'SUCCESS', runId, claimedBy: 'dead-daemon' }]);
    expect(await instance.runs.getRun(runId)).toBeDefined();
  });
});
