import { describe, expect, it } from 'vitest';
import { at, fresh } from '../fixtures.js';
import type { ContractContext } from './contract-context.js';

/** The ScheduleStorage contract: schedule states and ticks (each claimed once). */
export function scheduleStorageContract(ctx: ContractContext): void {
  describe('ScheduleStorage', () => {
    describe('schedule states', () => {
      it('ensureScheduleState writes the default once: RUNNING starts now, STOPPED has no start; later calls read the stored row', async () => {
        const running = fresh('sched');
        expect(await ctx.instance.schedules.ensureScheduleState(running, 'RUNNING', at(0))).toEqual({ name: running, status: 'RUNNING', startedAt: at(0), cursor: null, updatedAt: at(0) });
        expect(await ctx.instance.schedules.ensureScheduleState(running, 'STOPPED', at(5))).toMatchObject({ status: 'RUNNING', startedAt: at(0) });
        const stopped = fresh('sched');
        expect(await ctx.instance.schedules.ensureScheduleState(stopped, 'STOPPED', at(0))).toMatchObject({ status: 'STOPPED', startedAt: null });
        expect(await ctx.instance.schedules.getScheduleState(fresh('unknown'))).toBeUndefined();
      });

      it('of concurrent ensureScheduleState calls every caller gets the one row that won', async () => {
        const name = fresh('sched');
        const states = await Promise.all([1, 2, 3, 4].map((i) => ctx.instance.schedules.ensureScheduleState(name, 'RUNNING', at(i))));
        expect(new Set(states.map((s) => s.startedAt?.getTime())).size).toBe(1);
      });

      it('setScheduleStatus: start sets startedAt, starting again keeps it, stop keeps it, a restart moves it; the cursor survives', async () => {
        const name = fresh('sched');
        expect(await ctx.instance.schedules.setScheduleStatus(name, 'RUNNING', at(10))).toMatchObject({ status: 'RUNNING', startedAt: at(10), cursor: null });
        expect(await ctx.instance.schedules.setScheduleStatus(name, 'RUNNING', at(20))).toMatchObject({ status: 'RUNNING', startedAt: at(10) });
        await ctx.instance.schedules.advanceScheduleCursor(name, at(30), at(30));
        expect(await ctx.instance.schedules.setScheduleStatus(name, 'STOPPED', at(40))).toMatchObject({ status: 'STOPPED', startedAt: at(10), cursor: at(30), updatedAt: at(40) });
        expect(await ctx.instance.schedules.setScheduleStatus(name, 'RUNNING', at(50))).toMatchObject({ status: 'RUNNING', startedAt: at(50), cursor: at(30) });
        const stoppedFirst = fresh('sched');
        expect(await ctx.instance.schedules.setScheduleStatus(stoppedFirst, 'STOPPED', at(0))).toMatchObject({ status: 'STOPPED', startedAt: null });
        const listed = (await ctx.instance.schedules.listScheduleStates()).filter((s) => s.name === name || s.name === stoppedFirst);
        expect(listed.map((s) => s.name)).toEqual([name, stoppedFirst].sort());
      });

      it('advanceScheduleCursor only moves forward', async () => {
        const name = fresh('sched');
        await ctx.instance.schedules.ensureScheduleState(name, 'RUNNING', at(0));
        await ctx.instance.schedules.advanceScheduleCursor(name, at(60), at(61));
        await ctx.instance.schedules.advanceScheduleCursor(name, at(30), at(62));
        expect((await ctx.instance.schedules.getScheduleState(name))?.cursor).toEqual(at(60));
        await ctx.instance.schedules.advanceScheduleCursor(name, at(120), at(121));
        expect((await ctx.instance.schedules.getScheduleState(name))?.cursor).toEqual(at(120));
      });
    });

    describe('schedule ticks', () => {
      it('claimTick inserts a STARTED row once per (schedule, instant); a second claim gets nothing', async () => {
        const schedule = fresh('sched');
        const tick = await ctx.instance.schedules.claimTick({ schedule, scheduledFor: at(60), claimedBy: 'd1', at: at(60.2) });
        expect(tick).toMatchObject({ schedule, scheduledFor: at(60), status: 'STARTED', runId: null, reason: null, error: null, claimedBy: 'd1', claimedAt: at(60.2), endedAt: null });
        expect(typeof tick?.id).toBe('number');
        expect(await ctx.instance.schedules.claimTick({ schedule, scheduledFor: at(60), claimedBy: 'd2', at: at(60.3) })).toBeUndefined();
        // Another instant, or the same instant of another schedule, is another tick.
        expect(await ctx.instance.schedules.claimTick({ schedule, scheduledFor: at(120), claimedBy: 'd2', at: at(120) })).toBeDefined();
        expect(await ctx.instance.schedules.claimTick({ schedule: fresh('other'), scheduledFor: at(60), claimedBy: 'd2', at: at(60) })).toBeDefined();
      });

      it('of concurrent claimers of one tick exactly one wins', async () => {
        for (let round = 0; round < 10; round++) {
          const schedule = fresh('sched');
          const claims = await Promise.all(['a', 'b', 'c', 'd'].map((claimedBy) => ctx.instance.schedules.claimTick({ schedule, scheduledFor: at(round), claimedBy, at: at(round) })));
          expect(claims.filter(Boolean)).toHaveLength(1);
          expect(await ctx.instance.schedules.listTicks(schedule)).toHaveLength(1);
        }
      });

      it('finishTick records SUCCESS with the run, SKIPPED with the reason, FAILURE with the error, once', async () => {
        const schedule = fresh('sched');
        const [a, b, c] = await Promise.all([1, 2, 3].map((s) => ctx.instance.schedules.claimTick({ schedule, scheduledFor: at(s), claimedBy: 'd', at: at(s) })));
        expect(await ctx.instance.schedules.finishTick(a!.id, { status: 'SUCCESS', runId: 'run-1' }, at(10))).toBe(true);
        expect(await ctx.instance.schedules.finishTick(b!.id, { status: 'SKIPPED', reason: 'previous run still STARTED' }, at(11))).toBe(true);
        expect(await ctx.instance.schedules.finishTick(c!.id, { status: 'FAILURE', error: { name: 'SluiceError', message: 'bad selection', code: 'UNKNOWN_ASSET' } }, at(12))).toBe(true);
        expect(await ctx.instance.schedules.finishTick(a!.id, { status: 'FAILURE', error: { name: 'Error', message: 'late' } }, at(13))).toBe(false);
        const ticks = await ctx.instance.schedules.listTicks(schedule);
        expect(ticks.map((t) => [t.scheduledFor, t.status, t.runId, t.reason, t.error, t.endedAt])).toEqual([
          [at(3), 'FAILURE', null, null, { name: 'SluiceError', message: 'bad selection', code: 'UNKNOWN_ASSET' }, at(12)],
          [at(2), 'SKIPPED', null, 'previous run still STARTED', null, at(11)],
          [at(1), 'SUCCESS', 'run-1', null, null, at(10)],
        ]);
      });

      it('listTicks returns the latest scheduled instants first, filtered by status or instant and limited', async () => {
        const schedule = fresh('sched');
        for (const s of [5, 1, 3, 2, 4]) {
          const tick = await ctx.instance.schedules.claimTick({ schedule, scheduledFor: at(s), claimedBy: 'd', at: at(s) });
          if (s % 2 === 1) await ctx.instance.schedules.finishTick(tick!.id, { status: 'SUCCESS', runId: `run-${s}` }, at(s));
        }
        expect((await ctx.instance.schedules.listTicks(schedule)).map((t) => t.scheduledFor)).toEqual([at(5), at(4), at(3), at(2), at(1)]);
        expect((await ctx.instance.schedules.listTicks(schedule, { limit: 2 })).map((t) => t.scheduledFor)).toEqual([at(5), at(4)]);
        expect((await ctx.instance.schedules.listTicks(schedule, { statuses: ['SUCCESS'], limit: 1 })).map((t) => t.runId)).toEqual(['run-5']);
        expect((await ctx.instance.schedules.listTicks(schedule, { statuses: ['STARTED'] })).map((t) => t.scheduledFor)).toEqual([at(4), at(2)]);
        expect((await ctx.instance.schedules.listTicks(schedule, { scheduledFor: at(3) })).map((t) => t.runId)).toEqual(['run-3']);
      });
    });
  });
}
