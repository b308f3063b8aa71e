import { describe, expect, it } from 'vitest';
import type { SensorTickCommit } from '../../../src/storage/instance.js';
import { assetStep, at, checkStep, fresh, newRun, succeeded } from '../fixtures.js';
import type { ContractContext } from './contract-context.js';

/** The SensorStorage contract: states, claims, the one-transaction tick commit, run keys, purge, feeds. */
export function sensorStorageContract(ctx: ContractContext): void {
  const sensors = () => ctx.instance.sensors;
  const claimed = async (at0: Date) => {
    const name = fresh('sensor');
    await sensors().setSensorStatus(name, 'RUNNING', at0);
    expect(await sensors().claimSensorTick({ name, claimedBy: 'd1', at: at0, minimumIntervalMs: 30_000, ttlMs: 90_000 })).toBeDefined();
    return name;
  };
  const evaluated = (name: string, extra: Partial<Extract<SensorTickCommit['outcome'], { status: 'EVALUATED' }>>, cursorBefore: string | null = null): SensorTickCommit => ({
    sensor: name,
    claimedBy: 'd1',
    startedAt: at(0),
    endedAt: at(1),
    cursorBefore,
    outcome: { status: 'EVALUATED', cursorAfter: 'c1', runs: [], skipReason: null, ...extra },
  });

  describe('SensorStorage', () => {
    it('keeps status and cursor apart: start/stop keep the cursor, setting the cursor keeps the status', async () => {
      const name = fresh('sensor');
      expect(await sensors().ensureSensorState(name, 'STOPPED', at(0))).toMatchObject({ name, status: 'STOPPED', cursor: null, lastTickAt: null });
      expect(await sensors().ensureSensorState(name, 'RUNNING', at(1))).toMatchObject({ status: 'STOPPED' });
      expect(await sensors().setSensorCursor(name, '42', 'RUNNING', at(2))).toMatchObject({ status: 'STOPPED', cursor: '42' });
      expect(await sensors().setSensorStatus(name, 'RUNNING', at(3))).toMatchObject({ status: 'RUNNING', cursor: '42' });
      const other = fresh('sensor');
      expect(await sensors().setSensorCursor(other, 'x', 'RUNNING', at(0))).toMatchObject({ status: 'RUNNING', cursor: 'x' });
      expect((await sensors().listSensorStates()).filter((s) => s.name === name || s.name === other)).toHaveLength(2);
    });

    it('claims a tick only when RUNNING, due and unclaimed; of concurrent claimers exactly one wins; an expired claim is taken over', async () => {
      const name = fresh('sensor');
      const claim = (by: string, t: number) => sensors().claimSensorTick({ name, claimedBy: by, at: at(t), minimumIntervalMs: 30_000, ttlMs: 60_000 });
      await sensors().ensureSensorState(name, 'STOPPED', at(0));
      expect(await claim('d1', 0)).toBeUndefined();
      await sensors().setSensorStatus(name, 'RUNNING', at(0));
      const wins = (await Promise.all(['d1', 'd2', 'd3', 'd4'].map((by) => claim(by, 0)))).filter(Boolean);
      expect(wins).toHaveLength(1);
      const holder = wins[0]!.claimedBy!;
      expect(await claim('d9', 30)).toBeUndefined();
      expect(await claim('d9', 61)).toMatchObject({ claimedBy: 'd9' });
      // The first holder's commit finds its claim gone: nothing is written.
      expect(await sensors().commitSensorTick({ ...evaluated(name, {}), claimedBy: holder })).toBeUndefined();
      expect((await sensors().getSensorState(name))?.cursor).toBeNull();
      expect(await sensors().listSensorTicks(name)).toEqual([]);
      // After a committed tick the next is due minimumInterval after the tick's start.
      await sensors().commitSensorTick({ ...evaluated(name, {}), claimedBy: 'd9', startedAt: at(61) });
      expect(await claim('d1', 80)).toBeUndefined();
      expect(await claim('d1', 91)).toBeDefined();
    });

    it('commits the cursor, the run keys, the runs and the tick together', async () => {
      const name = await claimed(at(0));
      const asset = fresh('a');
      const keyed = newRun([assetStep(asset)]);
      const unkeyed = newRun([assetStep(asset)]);
      const committed = await sensors().commitSensorTick(evaluated(name, { cursorAfter: 'c7', runs: [{ runKey: 'k1', run: keyed }, { runKey: null, run: unkeyed }] }));
      expect(committed?.tick).toMatchObject({ sensor: name, status: 'SUCCESS', runIds: [keyed.id, unkeyed.id], skippedRunKeys: [], cursorBefore: null, cursorAfter: 'c7', claimedBy: 'd1' });
      expect(committed?.launched.map((r) => r.status)).toEqual(['QUEUED', 'QUEUED']);
      expect((await ctx.instance.runs.getRun(keyed.id))?.status).toBe('QUEUED');
      expect(await sensors().getSensorState(name)).toMatchObject({ cursor: 'c7', lastTickAt: at(0), claimedBy: null });
      expect(await sensors().usedRunKeys(name, ['k1', 'k2'])).toEqual(new Set(['k1']));
    });

    it('a failure in the middle of a commit writes neither the cursor, nor the run keys, nor any run, nor the tick', async () => {
      const name = await claimed(at(0));
      const asset = fresh('a');
      const existing = newRun([assetStep(asset)]);
      await ctx.instance.runs.createRun(existing);
      const first = newRun([assetStep(asset)]);
      const commit = evaluated(name, { cursorAfter: 'c9', runs: [{ runKey: 'k-first', run: first }, { runKey: 'k-dup', run: { ...newRun([assetStep(asset)]), id: existing.id } }] });
      await expect(sensors().commitSensorTick(commit)).rejects.toMatchObject({ code: 'RUN_ALREADY_EXISTS' });
      expect(await sensors().getSensorState(name)).toMatchObject({ cursor: null, lastTickAt: null, claimedBy: 'd1' });
      expect(await ctx.instance.runs.getRun(first.id)).toBeUndefined();
      expect(await sensors().usedRunKeys(name, ['k-first', 'k-dup'])).toEqual(new Set());
      expect(await sensors().listSensorTicks(name)).toEqual([]);
    });

    it('a run key launches one run per sensor ever: a repeat (or a duplicate in one tick) is skipped and listed; another sensor may use it', async () => {
      const name = await claimed(at(0));
      const asset = fresh('a');
      const first = newRun([assetStep(asset)]);
      const twin = newRun([assetStep(asset)]);
      const tick1 = await sensors().commitSensorTick(evaluated(name, { runs: [{ runKey: 'file-1', run: first }, { runKey: 'file-1', run: twin }] }));
      expect(tick1?.tick).toMatchObject({ status: 'SUCCESS', runIds: [first.id], skippedRunKeys: ['file-1'] });
      expect(await ctx.instance.runs.getRun(twin.id)).toBeUndefined();
      await sensors().claimSensorTick({ name, claimedBy: 'd1', at: at(60), minimumIntervalMs: 30_000, ttlMs: 90_000 });
      const again = newRun([assetStep(asset)]);
      const tick2 = await sensors().commitSensorTick({ ...evaluated(name, { cursorAfter: 'c2', runs: [{ runKey: 'file-1', run: again }] }), startedAt: at(60) });
      expect(tick2?.tick).toMatchObject({ status: 'SKIPPED', runIds: [], skippedRunKeys: ['file-1'], cursorAfter: 'c2' });
      expect(tick2?.tick.skipReason).toContain('file-1');
      expect(await ctx.instance.runs.getRun(again.id)).toBeUndefined();
      const other = await claimed(at(0));
      const theirs = newRun([assetStep(asset)]);
      expect((await sensors().commitSensorTick(evaluated(other, { runs: [{ runKey: 'file-1', run: theirs }] })))?.tick.status).toBe('SUCCESS');
    });

    it('a FAILURE keeps the cursor and records the error; a tick without requests is SKIPPED with its reason; ticks list newest first', async () => {
      const name = fresh('sensor');
      await sensors().setSensorStatus(name, 'RUNNING', at(0));
      await sensors().setSensorCursor(name, 'before', 'RUNNING', at(0));
      await sensors().claimSensorTick({ name, claimedBy: 'd1', at: at(0), minimumIntervalMs: 1000, ttlMs: 5000 });
      await sensors().commitSensorTick({ ...evaluated(name, {}, 'before'), outcome: { status: 'FAILURE', error: { name: 'Error', message: 'boom' } } });
      expect((await sensors().getSensorState(name))?.cursor).toBe('before');
      await sensors().claimSensorTick({ name, claimedBy: 'd1', at: at(2), minimumIntervalMs: 1000, ttlMs: 5000 });
      await sensors().commitSensorTick({ ...evaluated(name, { skipReason: 'nothing new', cursorAfter: 'after' }, 'before'), startedAt: at(2) });
      const ticks = await sensors().listSensorTicks(name, { limit: 5 });
      expect(ticks.map((t) => [t.status, t.cursorBefore, t.cursorAfter, t.skipReason, t.error?.message ?? null])).toEqual([
        ['SKIPPED', 'before', 'after', 'nothing new', null],
        ['FAILURE', 'before', 'before', null, 'boom'],
      ]);
    });

    it('purges skipped ticks and the others by their own cutoffs', async () => {
      const name = fresh('sensor');
      await sensors().setSensorStatus(name, 'RUNNING', at(0));
      for (const [t, skip] of [[0, true], [0, false], [100, true], [100, false]] as const) {
        await sensors().claimSensorTick({ name, claimedBy: 'd1', at: at(t), minimumIntervalMs: 0, ttlMs: 5000 });
        const outcome: SensorTickCommit['outcome'] = skip ? { status: 'EVALUATED', cursorAfter: null, runs: [], skipReason: 's' } : { status: 'FAILURE', error: { name: 'E', message: 'm' } };
        await sensors().commitSensorTick({ ...evaluated(name, {}), startedAt: at(t), endedAt: at(t), outcome });
      }
      expect(await sensors().purgeSensorTicks({ skippedBefore: at(200), othersBefore: at(50) })).toBeGreaterThanOrEqual(3);
      expect((await sensors().listSensorTicks(name)).map((t) => [t.status, t.endedAt])).toEqual([['FAILURE', at(100)]]);
    });

    it('feeds every materialization (and check result when asked) of the watched assets after an id, in order, in pages', async () => {
      const watched = fresh('w');
      const other = fresh('o');
      const before = (await sensors().assetEventsAfter({ afterId: 0, assetKeys: [watched], includeChecks: true, limit: 10 })).length;
      expect(before).toBe(0);
      for (let i = 0; i < 3; i++) {
        const run = newRun([assetStep(watched), checkStep(watched, 'c'), assetStep(other)]);
        await ctx.instance.runs.createRun(run);
        await ctx.instance.runs.startStep(run.id, watched, 1, at(1), 'w');
        await ctx.instance.runs.finishStep(run.id, watched, succeeded(1, { materialization: { metadata: { i } } }));
        await ctx.instance.runs.startStep(run.id, `${watched}#c`, 1, at(2), 'w');
        await ctx.instance.runs.finishStep(run.id, `${watched}#c`, succeeded(1, { check: { passed: i !== 1, severity: 'ERROR', blocking: false, metadata: {} } }));
        await ctx.instance.runs.startStep(run.id, other, 1, at(3), 'w');
        await ctx.instance.runs.finishStep(run.id, other, succeeded(1, { materialization: { metadata: {} } }));
      }
      const materializations = await sensors().assetEventsAfter({ afterId: 0, assetKeys: [watched], includeChecks: false, limit: 100 });
      expect(materializations.map((e) => [e.type, e.assetKey, e.metadata])).toEqual([0, 1, 2].map((i) => ['MATERIALIZATION', watched, { i }]));
      const firstPage = await sensors().assetEventsAfter({ afterId: 0, assetKeys: [watched], includeChecks: true, limit: 4 });
      const rest = await sensors().assetEventsAfter({ afterId: firstPage.at(-1)!.id, assetKeys: [watched], includeChecks: true, limit: 100 });
      const all = [...firstPage, ...rest];
      expect(all.map((e) => e.type)).toEqual(['MATERIALIZATION', 'CHECK_EVALUATION', 'MATERIALIZATION', 'CHECK_EVALUATION', 'MATERIALIZATION', 'CHECK_EVALUATION']);
      expect(all.filter((e) => e.type === 'CHECK_EVALUATION').map((e) => [e.checkName, e.passed])).toEqual([['c', true], ['c', false], ['c', true]]);
      expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((a, b) => a - b));
      // upToId bounds the page; the watermark has seen every committed event.
      expect((await sensors().assetEventsAfter({ afterId: 0, upToId: all[1]!.id, assetKeys: [watched], includeChecks: true, limit: 100 })).map((e) => e.id)).toEqual([all[0]!.id, all[1]!.id]);
      const mark = await sensors().feedWatermark();
      expect(mark.maxEventId).toBeGreaterThanOrEqual(all.at(-1)!.id);
      expect(BigInt(mark.xmin) > 0n).toBe(true);
    });

    it('feeds run status changes after an id, in order, with each run\'s asset keys', async () => {
      const asset = fresh('a');
      const failedRun = newRun([assetStep(asset), checkStep(asset, 'c')]);
      const okRun = newRun([assetStep(asset)]);
      for (const run of [failedRun, okRun]) {
        await ctx.instance.runs.createRun(run);
        await ctx.instance.runs.setRunStatus(run.id, 'STARTED', at(1));
      }
      await ctx.instance.runs.setRunStatus(failedRun.id, 'FAILURE', at(2), { name: 'E', message: 'x' });
      await ctx.instance.runs.setRunStatus(okRun.id, 'SUCCESS', at(3));
      const ours = (feed: Awaited<ReturnType<ReturnType<typeof sensors>['runStatusEventsAfter']>>) => feed.filter((e) => e.runId === failedRun.id || e.runId === okRun.id);
      const failures = ours(await sensors().runStatusEventsAfter({ afterId: 0, statuses: ['FAILURE'], limit: 10_000 }));
      expect(failures.map((e) => [e.runId, e.status, e.assetKeys])).toEqual([[failedRun.id, 'FAILURE', [asset]]]);
      const ended = ours(await sensors().runStatusEventsAfter({ afterId: 0, statuses: ['FAILURE', 'SUCCESS'], limit: 10_000 }));
      expect(ended.map((e) => e.status)).toEqual(['FAILURE', 'SUCCESS']);
    });
  });
}
