import { describe, expect, it } from 'vitest';
import type { Instance, StepOutcome } from '../../../../src/storage/instance.js';
import { assetStep, at, checkStep, failed, fresh, newRun, succeeded } from '../../fixtures.js';
import type { ContractContext } from '../contract-context.js';

/** Creates `count` runs that each materialize the one asset `asset`; returns their ids. */
async function runsOf(instance: Instance, asset: string, count: number, withCheck = false): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const run = newRun(withCheck ? [assetStep(asset), checkStep(asset, 'not_empty')] : [assetStep(asset)]);
    await instance.runs.createRun(run);
    ids.push(run.id);
  }
  return ids;
}

/** The locks held on the given assets (the store is shared with other tests). */
async function locksOn(instance: Instance, ...assets: string[]) {
  return (await instance.coordination.listAssetLocks()).filter((lock) => assets.includes(lock.assetKey));
}

const canceled: StepOutcome = { status: 'CANCELED', attempt: 1, at: at(10), durationMs: 5, error: { name: 'SluiceError', message: 'run canceled', code: 'RUN_CANCELED' } };

export function describeAssetLocks(ctx: ContractContext): void {
  describe('asset locks', () => {
    it("a second run's step of the same asset gets asset-busy naming the holder, and starts once the first finishes", async () => {
      const asset = fresh('lock');
      const [first = '', second = ''] = await runsOf(ctx.instance, asset, 2);

      expect(await ctx.instance.runs.startStep(first, asset, 1, at(1), 'w1')).toEqual({ started: true });
      expect(await locksOn(ctx.instance, asset)).toEqual([{ assetKey: asset, partitionKey: '', runId: first, stepKey: asset, worker: 'w1', acquiredAt: at(1) }]);
      expect(await ctx.instance.runs.startStep(second, asset, 1, at(2), 'w2')).toEqual({ started: false, reason: 'asset-busy', holder: { runId: first, stepKey: asset } });

      // The refused start wrote nothing, and a repeated start of the holder leaves its lock as it was.
      expect(await ctx.instance.runs.listSteps(second)).toMatchObject([{ status: 'PENDING', attempt: 0, worker: null, startedAt: null }]);
      expect(await ctx.instance.eventLog.listEvents(second, { types: ['STEP_STARTED'] })).toEqual([]);
      expect(await ctx.instance.runs.startStep(first, asset, 1, at(2), 'w3')).toEqual({ started: false, reason: 'not-pending' });
      expect((await locksOn(ctx.instance, asset)).map((lock) => lock.worker)).toEqual(['w1']);

      await ctx.instance.runs.finishStep(first, asset, succeeded());
      expect(await locksOn(ctx.instance, asset)).toEqual([]);
      expect(await ctx.instance.runs.startStep(second, asset, 1, at(11), 'w2')).toEqual({ started: true });
      expect(await locksOn(ctx.instance, asset)).toEqual([{ assetKey: asset, partitionKey: '', runId: second, stepKey: asset, worker: 'w2', acquiredAt: at(11) }]);
      expect(await ctx.instance.runs.listSteps(second)).toMatchObject([{ status: 'RUNNING', attempt: 1, worker: 'w2', startedAt: at(11) }]);
    });

    it('finishStep releases the lock whatever the outcome, CANCELED included', async () => {
      for (const outcome of [succeeded(), failed(), canceled]) {
        const asset = fresh('release');
        const [first = '', second = ''] = await runsOf(ctx.instance, asset, 2);
        await ctx.instance.runs.startStep(first, asset, 1, at(1), 'w');
        await ctx.instance.runs.finishStep(first, asset, outcome);
        expect(await locksOn(ctx.instance, asset)).toEqual([]);
        expect(await ctx.instance.runs.startStep(second, asset, 1, at(11), 'w')).toEqual({ started: true });
      }
    });

    it('a stale or repeated finishStep leaves the running attempt its lock', async () => {
      const asset = fresh('stale');
      const [runId = ''] = await runsOf(ctx.instance, asset, 1);
      await ctx.instance.runs.startStep(runId, asset, 1, at(1), 'w1');
      await ctx.instance.runs.retryStep(runId, asset, { ...failed(1), retryDelayMs: 0 });
      await ctx.instance.runs.startStep(runId, asset, 2, at(2), 'w2');

      await ctx.instance.runs.finishStep(runId, asset, succeeded(1));
      expect(await ctx.instance.runs.retryStep(runId, asset, { ...failed(1), retryDelayMs: 0 })).toBe(false);
      expect(await locksOn(ctx.instance, asset)).toEqual([{ assetKey: asset, partitionKey: '', runId, stepKey: asset, worker: 'w2', acquiredAt: at(2) }]);
    });

    it('retryStep releases the lock; the next attempt takes it again or finds it busy', async () => {
      const asset = fresh('retry');
      const [first = '', second = ''] = await runsOf(ctx.instance, asset, 2);
      await ctx.instance.runs.startStep(first, asset, 1, at(1), 'w1');
      expect(await ctx.instance.runs.retryStep(first, asset, { ...failed(1), retryDelayMs: 100 })).toBe(true);
      expect(await locksOn(ctx.instance, asset)).toEqual([]);

      expect(await ctx.instance.runs.startStep(second, asset, 1, at(2), 'w2')).toEqual({ started: true });
      expect(await ctx.instance.runs.startStep(first, asset, 2, at(3), 'w1')).toEqual({ started: false, reason: 'asset-busy', holder: { runId: second, stepKey: asset } });
      expect(await ctx.instance.runs.listSteps(first)).toMatchObject([{ status: 'PENDING', attempt: 1 }]);

      await ctx.instance.runs.finishStep(second, asset, succeeded());
      expect(await ctx.instance.runs.startStep(first, asset, 2, at(12), 'w1')).toEqual({ started: true });
      expect((await locksOn(ctx.instance, asset)).map((lock) => lock.runId)).toEqual([first]);
    });

    it('a check step never takes a lock, and starts while another run holds its asset', async () => {
      const asset = fresh('checked');
      const [first = '', second = ''] = await runsOf(ctx.instance, asset, 2, true);
      const check = `${asset}#not_empty`;
      await ctx.instance.runs.startStep(first, asset, 1, at(1), 'w');
      await ctx.instance.runs.finishStep(first, asset, succeeded());
      expect(await ctx.instance.runs.startStep(second, asset, 1, at(2), 'w2')).toEqual({ started: true });

      expect(await ctx.instance.runs.startStep(first, check, 1, at(3), 'w')).toEqual({ started: true });
      expect((await locksOn(ctx.instance, asset)).map((lock) => [lock.runId, lock.stepKey])).toEqual([[second, asset]]);
      await ctx.instance.runs.finishStep(first, check, succeeded(1, { check: { passed: true, severity: 'ERROR', blocking: false, metadata: {} } }));
      expect((await locksOn(ctx.instance, asset)).map((lock) => [lock.runId, lock.stepKey])).toEqual([[second, asset]]);
    });

    it('of runs starting steps of the same asset at the same moment, exactly one starts', async () => {
      for (let round = 0; round < 10; round++) {
        const asset = fresh('race');
        const runIds = await runsOf(ctx.instance, asset, 3);
        const results = await Promise.all(runIds.map((runId, n) => ctx.instance.runs.startStep(runId, asset, 1, at(1), `w${n}`)));

        const winners = runIds.filter((_, n) => results[n]?.started);
        expect(winners).toHaveLength(1);
        const holder = { runId: winners[0], stepKey: asset };
        expect(results.filter((result) => !result.started)).toEqual([
          { started: false, reason: 'asset-busy', holder },
          { started: false, reason: 'asset-busy', holder },
        ]);
        expect((await locksOn(ctx.instance, asset)).map((lock) => lock.runId)).toEqual(winners);
        const running = await Promise.all(runIds.map(async (runId) => (await ctx.instance.runs.listSteps(runId)).filter((step) => step.status === 'RUNNING').length));
        expect(running.reduce((sum, n) => sum + n, 0)).toBe(1);
      }
    });

    it('a start racing the holder finishing either starts with the lock or names the holder, never both', async () => {
      for (let round = 0; round < 10; round++) {
        const asset = fresh('handover');
        const [first = '', second = ''] = await runsOf(ctx.instance, asset, 2);
        await ctx.instance.runs.startStep(first, asset, 1, at(1), 'w1');
        const [, start] = await Promise.all([ctx.instance.runs.finishStep(first, asset, succeeded()), ctx.instance.runs.startStep(second, asset, 1, at(2), 'w2')]);

        const locks = (await locksOn(ctx.instance, asset)).map((lock) => lock.runId);
        if (start?.started) expect(locks).toEqual([second]);
        else {
          expect(start).toEqual({ started: false, reason: 'asset-busy', holder: { runId: first, stepKey: asset } });
          expect(locks).toEqual([]);
          expect(await ctx.instance.runs.startStep(second, asset, 1, at(3), 'w2')).toEqual({ started: true });
        }
      }
    });
  });
}
