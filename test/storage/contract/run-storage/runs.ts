import { describe, expect, it } from 'vitest';
import { assetStep, at, fresh, graph, newRun, T0 } from '../../fixtures.js';
import type { ContractContext } from '../contract-context.js';

export function describeRuns(ctx: ContractContext): void {
  describe('runs', () => {
    it('listRuns filters by tags (all must match) and by creation time, in the database', async () => {
      const team = fresh('team');
      const a = newRun([assetStep(fresh('a'))], { tags: { team, env: 'prod' }, at: at(100) });
      const b = newRun([assetStep(fresh('b'))], { tags: { team, env: 'dev' }, at: at(200) });
      const c = newRun([assetStep(fresh('c'))], { tags: { other: team }, at: at(300) });
      for (const run of [a, b, c]) await ctx.instance.runs.createRun(run);
      const ids = async (options: Parameters<typeof ctx.instance.runs.listRuns>[0]) => (await ctx.instance.runs.listRuns(options)).map((run) => run.id);
      expect(await ids({ tags: { team } })).toEqual([b.id, a.id]);
      expect(await ids({ tags: { team, env: 'prod' } })).toEqual([a.id]);
      expect(await ids({ tags: { team }, since: at(150) })).toEqual([b.id]);
      expect(await ids({ tags: { team }, since: at(200) })).toEqual([b.id]);
      expect(await ids({ tags: { team: 'nobody' } })).toEqual([]);
      expect(await ids({ tags: { other: team }, statuses: ['QUEUED'], limit: 5 })).toEqual([c.id]);
    });

    it('createRun writes the run as QUEUED, its steps as PENDING and a RUN_QUEUED event', async () => {
      const p = fresh('create');
      const run = newRun(graph(p, { a: [], b: ['a'] }), {
        selection: `${p}/b+`,
        trigger: 'schedule:nightly',
        tags: { team: 'data' },
        config: { [`${p}/a`]: { limit: 3, nested: [1, 2] } },
        configRef: { name: 'nightly', version: 2 },
      });
      const created = await ctx.instance.runs.createRun(run);
      expect(created).toMatchObject({ id: run.id, status: 'QUEUED', selection: `${p}/b+`, trigger: 'schedule:nightly', startedAt: null });

      const stored = await ctx.instance.runs.getRun(run.id);
      expect(stored).toEqual({
        id: run.id,
        status: 'QUEUED',
        selection: `${p}/b+`,
        trigger: 'schedule:nightly',
        tags: { team: 'data' },
        config: { [`${p}/a`]: { limit: 3, nested: [1, 2] } },
        configRef: { name: 'nightly', version: 2 },
        createdAt: T0,
        startedAt: null,
        endedAt: null,
        error: null,
        queueReason: null,
        partition: null,
        backfillId: null,
      });
      expect(stored?.createdAt).toBeInstanceOf(Date);

      const steps = await ctx.instance.runs.listSteps(run.id);
      expect(steps).toEqual([
        { runId: run.id, key: `${p}/a`, kind: 'asset', assetKey: `${p}/a`, checkName: null, deps: [], status: 'PENDING', attempt: 0, startedAt: null, endedAt: null, error: null, worker: null, partitions: null, assetKeys: null },
        { runId: run.id, key: `${p}/b`, kind: 'asset', assetKey: `${p}/b`, checkName: null, deps: [`${p}/a`], status: 'PENDING', attempt: 0, startedAt: null, endedAt: null, error: null, worker: null, partitions: null, assetKeys: null },
      ]);

      const events = await ctx.instance.eventLog.listEvents(run.id);
      expect(events.map(({ type, stepKey, data }) => ({ type, stepKey, data }))).toEqual([
        { type: 'RUN_QUEUED', stepKey: null, data: { selection: `${p}/b+`, trigger: 'schedule:nightly' } },
      ]);
      expect(typeof events[0]?.id).toBe('number');
      expect(events[0]?.at).toEqual(T0);
    });

    it('getRun returns undefined for an unknown id', async () => {
      expect(await ctx.instance.runs.getRun(fresh('nope'))).toBeUndefined();
    });

    it('createRun rejects a reused run id and leaves the first run as it was', async () => {
      const run = newRun([assetStep(fresh('dup'))]);
      await ctx.instance.runs.createRun(run);
      await expect(ctx.instance.runs.createRun({ ...run, steps: [assetStep(fresh('other'))] })).rejects.toMatchObject({ code: 'RUN_ALREADY_EXISTS' });
      expect((await ctx.instance.runs.listSteps(run.id)).map((step) => step.key)).toEqual([run.steps[0]?.key]);
    });

    it('createRun rejects a step depending on a step outside the run, writing nothing', async () => {
      const run = newRun([assetStep(fresh('orphan'), ['missing/parent'])]);
      await expect(ctx.instance.runs.createRun(run)).rejects.toMatchObject({ code: 'INVALID_RUN_PLAN' });
      expect(await ctx.instance.runs.getRun(run.id)).toBeUndefined();
    });

    it('listRuns returns runs newest first, filtered by status and limited', async () => {
      const trigger = fresh('list');
      const older = newRun([], { trigger, at: at(100) });
      const newer = newRun([], { trigger, at: at(200) });
      await ctx.instance.runs.createRun(older);
      await ctx.instance.runs.createRun(newer);
      await ctx.instance.runs.setRunStatus(newer.id, 'STARTED', at(201));

      const all = (await ctx.instance.runs.listRuns()).filter((run) => run.trigger === trigger);
      expect(all.map((run) => run.id)).toEqual([newer.id, older.id]);
      const started = (await ctx.instance.runs.listRuns({ statuses: ['STARTED'] })).filter((run) => run.trigger === trigger);
      expect(started.map((run) => run.id)).toEqual([newer.id]);
      expect(await ctx.instance.runs.listRuns({ limit: 1 })).toHaveLength(1);
    });

    it('setRunStatus moves a run only along allowed transitions, with the matching event', async () => {
      const run = newRun([]);
      await ctx.instance.runs.createRun(run);

      expect(await ctx.instance.runs.setRunStatus(run.id, 'SUCCESS', at(1))).toBe(false);
      expect(await ctx.instance.runs.setRunStatus(run.id, 'STARTED', at(2))).toBe(true);
      expect(await ctx.instance.runs.setRunStatus(run.id, 'STARTED', at(3))).toBe(false);
      const error = { name: 'StepError', message: 'a step failed', code: 'STEP_FAILED' };
      expect(await ctx.instance.runs.setRunStatus(run.id, 'FAILURE', at(4), error)).toBe(true);
      expect(await ctx.instance.runs.setRunStatus(run.id, 'CANCELED', at(5))).toBe(false);
      expect(await ctx.instance.runs.setRunStatus(fresh('missing'), 'STARTED', at(6))).toBe(false);

      const stored = await ctx.instance.runs.getRun(run.id);
      expect(stored).toMatchObject({ status: 'FAILURE', startedAt: at(2), endedAt: at(4), error });
      const events = await ctx.instance.eventLog.listEvents(run.id);
      expect(events.map((event) => [event.type, event.at])).toEqual([
        ['RUN_QUEUED', T0],
        ['RUN_STARTED', at(2)],
        ['RUN_FAILURE', at(4)],
      ]);
      expect(events[2]?.data).toEqual({ error });
    });

    it('setQueueReason records why a QUEUED run waits; leaving QUEUED clears it for good', async () => {
      const run = newRun([]);
      const canceled = newRun([]);
      await ctx.instance.runs.createRun(run);
      await ctx.instance.runs.createRun(canceled);
      const reason = 'tag concurrency limit team=data: 2 of 2 running';

      await ctx.instance.runs.setQueueReason(run.id, reason);
      expect((await ctx.instance.runs.getRun(run.id))?.queueReason).toBe(reason);
      expect((await ctx.instance.runs.listRuns({ statuses: ['QUEUED'] })).find((listed) => listed.id === run.id)?.queueReason).toBe(reason);
      await ctx.instance.runs.setQueueReason(run.id, null);
      expect((await ctx.instance.runs.getRun(run.id))?.queueReason).toBeNull();

      await ctx.instance.runs.setQueueReason(run.id, reason);
      await ctx.instance.runs.setRunStatus(run.id, 'STARTED', at(1));
      expect((await ctx.instance.runs.getRun(run.id))?.queueReason).toBeNull();
      await ctx.instance.runs.setQueueReason(run.id, reason);
      expect((await ctx.instance.runs.getRun(run.id))?.queueReason).toBeNull();

      await ctx.instance.runs.setQueueReason(canceled.id, reason);
      await ctx.instance.runs.setRunStatus(canceled.id, 'CANCELED', at(1));
      expect((await ctx.instance.runs.getRun(canceled.id))?.queueReason).toBeNull();
      await ctx.instance.runs.setQueueReason(fresh('missing'), reason);
    });

    it('setRunStatus cancels a run from QUEUED, and through CANCELING from STARTED', async () => {
      const queued = newRun([]);
      const started = newRun([]);
      await ctx.instance.runs.createRun(queued);
      await ctx.instance.runs.createRun(started);
      expect(await ctx.instance.runs.setRunStatus(queued.id, 'CANCELING', at(1))).toBe(false);
      expect(await ctx.instance.runs.setRunStatus(queued.id, 'CANCELED', at(1))).toBe(true);
      expect(await ctx.instance.runs.setRunStatus(started.id, 'STARTED', at(1))).toBe(true);
      expect(await ctx.instance.runs.setRunStatus(started.id, 'CANCELING', at(2))).toBe(true);
      expect(await ctx.instance.runs.setRunStatus(started.id, 'SUCCESS', at(3))).toBe(false);
      expect(await ctx.instance.runs.setRunStatus(started.id, 'CANCELED', at(3))).toBe(true);
      expect((await ctx.instance.runs.getRun(queued.id))?.status).toBe('CANCELED');
      expect((await ctx.instance.runs.getRun(started.id))).toMatchObject({ status: 'CANCELED', endedAt: at(3) });
      expect((await ctx.instance.eventLog.listEvents(started.id)).map((event) => event.type)).toEqual(['RUN_QUEUED', 'RUN_STARTED', 'RUN_CANCELING', 'RUN_CANCELED']);
    });
  });
}
