import { describe, expect, it } from 'vitest';
import type { NewEvent } from '../../../../src/core/events.js';
import { at, fresh, newRun } from '../../fixtures.js';
import type { ContractContext } from '../contract-context.js';

function log(runId: string, msg: string, seconds: number): NewEvent {
  return { type: 'LOG', runId, stepKey: 'a', at: at(seconds), data: { level: 'info', msg, fields: { n: seconds } } };
}

export function describeEvents(ctx: ContractContext): void {
  describe('events', () => {
    it('appendEvents keeps the given order and listEvents pages with afterId and limit', async () => {
      const run = newRun([]);
      await ctx.instance.runs.createRun(run);
      await ctx.instance.eventLog.appendEvents(['one', 'two', 'three'].map((msg, i) => log(run.id, msg, i + 1)));
      await ctx.instance.eventLog.appendEvents([log(run.id, 'four', 4)]);

      const all = await ctx.instance.eventLog.listEvents(run.id);
      expect(all.map((event) => (event.type === 'LOG' ? event.data.msg : event.type))).toEqual(['RUN_QUEUED', 'one', 'two', 'three', 'four']);
      const ids = all.map((event) => event.id);
      expect(ids.every((id, i) => typeof id === 'number' && (i === 0 || id > ids[i - 1]!))).toBe(true);
      expect(all[1]).toEqual({ id: ids[1], type: 'LOG', runId: run.id, stepKey: 'a', at: at(1), data: { level: 'info', msg: 'one', fields: { n: 1 } } });

      const page = await ctx.instance.eventLog.listEvents(run.id, { afterId: ids[1], limit: 2 });
      expect(page.map((event) => event.id)).toEqual([ids[2], ids[3]]);
      expect(await ctx.instance.eventLog.listEvents(run.id, { afterId: ids[4] })).toEqual([]);
    });

    it('listEvents with beforeId reads the page before that id, in log order, filtered like a forward page', async () => {
      const run = newRun([]);
      await ctx.instance.runs.createRun(run);
      await ctx.instance.eventLog.appendEvents(['one', 'two', 'three', 'four', 'five'].map((msg, i) => log(run.id, msg, i + 1)));
      await ctx.instance.eventLog.appendEvents([{ ...log(run.id, 'other step', 6), stepKey: 'b' }]);
      const msgs = (events: readonly { type: string; data: unknown }[]) => events.map((e) => (e.type === 'LOG' ? (e.data as { msg: string }).msg : e.type));
      const all = await ctx.instance.eventLog.listEvents(run.id);
      const newest = await ctx.instance.eventLog.listEvents(run.id, { beforeId: Number.MAX_SAFE_INTEGER, limit: 2 });
      expect(msgs(newest)).toEqual(['five', 'other step']);
      const older = await ctx.instance.eventLog.listEvents(run.id, { beforeId: newest[0]!.id, limit: 2 });
      expect(msgs(older)).toEqual(['three', 'four']);
      expect(msgs(await ctx.instance.eventLog.listEvents(run.id, { beforeId: older[0]!.id, limit: 10 }))).toEqual(['RUN_QUEUED', 'one', 'two']);
      expect(msgs(await ctx.instance.eventLog.listEvents(run.id, { beforeId: all.at(-1)!.id, stepKey: 'a', types: ['LOG'], limit: 3 }))).toEqual(['three', 'four', 'five']);
      expect(msgs(await ctx.instance.eventLog.listEvents(run.id, { afterId: all[1]!.id, beforeId: all[4]!.id }))).toEqual(['two', 'three']);
    });

    it('listEvents filters by type and never returns another run\'s events', async () => {
      const run = newRun([]);
      const other = newRun([]);
      await ctx.instance.runs.createRun(run);
      await ctx.instance.runs.createRun(other);
      await ctx.instance.eventLog.appendEvents([log(run.id, 'mine', 1), log(other.id, 'theirs', 1)]);
      expect((await ctx.instance.eventLog.listEvents(run.id, { types: ['LOG'] })).map((event) => event.runId)).toEqual([run.id]);
      expect((await ctx.instance.eventLog.listEvents(run.id, { types: ['RUN_QUEUED', 'RUN_STARTED'] })).map((event) => event.type)).toEqual(['RUN_QUEUED']);
    });

    it('listEvents filters by step in the store, and pages within that step', async () => {
      const run = newRun([]);
      await ctx.instance.runs.createRun(run);
      const of = (stepKey: string, msg: string, seconds: number): NewEvent => ({ ...log(run.id, msg, seconds), stepKey });
      await ctx.instance.eventLog.appendEvents([of('a', 'a1', 1), of('@multi~2', 'm1', 2), of('a', 'a2', 3), of('@multi~2', 'm2', 4), of('@multi~2', 'm3', 5)]);
      const multi = await ctx.instance.eventLog.listEvents(run.id, { stepKey: '@multi~2', limit: 2 });
      expect(multi.map((e) => (e.type === 'LOG' ? e.data.msg : e.type))).toEqual(['m1', 'm2']);
      expect((await ctx.instance.eventLog.listEvents(run.id, { stepKey: '@multi~2', afterId: multi[1]!.id })).map((e) => (e.type === 'LOG' ? e.data.msg : ''))).toEqual(['m3']);
      expect(await ctx.instance.eventLog.listEvents(run.id, { stepKey: 'nope' })).toEqual([]);
    });

    it('appendEvents rejects events of an unknown run', async () => {
      await expect(ctx.instance.eventLog.appendEvents([log(fresh('ghost'), 'lost', 1)])).rejects.toThrow();
    });
  });
}
