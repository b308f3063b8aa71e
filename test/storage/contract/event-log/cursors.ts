import { describe, expect, it } from 'vitest';
import { assetStep, at, failed, fresh, newRun, succeeded } from '../../fixtures.js';
import type { ContractContext } from '../contract-context.js';

export function describeCursors(ctx: ContractContext): void {
  describe('asset cursors', () => {
    it('a cursor is stored with a success, moves with each later success, and never with a failure, a retry or a cancel', async () => {
      const asset = fresh('cursor');
      expect(await ctx.instance.eventLog.getCursor(asset)).toBeUndefined();
      const attempt = async (n: number, outcome: 'ok' | 'fail' | 'retry' | 'cancel', value: unknown) => {
        const run = newRun([assetStep(asset)]);
        await ctx.instance.runs.createRun(run);
        expect(await ctx.instance.runs.startStep(run.id, asset, 1, at(n), 'w')).toEqual({ started: true });
        const cursor = { value };
        if (outcome === 'ok') await ctx.instance.runs.finishStep(run.id, asset, succeeded(1, { at: at(n + 1), cursor }));
        else if (outcome === 'fail') await ctx.instance.runs.finishStep(run.id, asset, failed(1, { cursor }));
        else if (outcome === 'cancel') await ctx.instance.runs.finishStep(run.id, asset, { status: 'CANCELED', attempt: 1, at: at(n + 1), durationMs: 1, cursor });
        else await ctx.instance.runs.retryStep(run.id, asset, { ...failed(1, { cursor }), retryDelayMs: 0 });
        return run.id;
      };

      const first = await attempt(1, 'ok', { highWater: '2024-10-01', files: ['a.csv'] });
      expect(await ctx.instance.eventLog.getCursor(asset)).toEqual({
        assetKey: asset,
        partitionKey: '',
        value: { highWater: '2024-10-01', files: ['a.csv'] },
        runId: first,
        stepKey: asset,
        updatedAt: at(2),
      });
      await attempt(10, 'fail', { highWater: 'failed' });
      await attempt(20, 'retry', { highWater: 'retried' });
      await attempt(30, 'cancel', { highWater: 'canceled' });
      expect((await ctx.instance.eventLog.getCursor(asset))?.value).toEqual({ highWater: '2024-10-01', files: ['a.csv'] });

      const later = await attempt(40, 'ok', 7);
      expect(await ctx.instance.eventLog.getCursor(asset)).toMatchObject({ value: 7, runId: later, updatedAt: at(41) });
      // A success without a cursor leaves it as it was.
      const run = newRun([assetStep(asset)]);
      await ctx.instance.runs.createRun(run);
      await ctx.instance.runs.startStep(run.id, asset, 1, at(50), 'w');
      await ctx.instance.runs.finishStep(run.id, asset, succeeded(1));
      expect(await ctx.instance.eventLog.getCursor(asset)).toMatchObject({ value: 7, runId: later });
    });

    it('a repeated finish of the same attempt does not write the cursor again', async () => {
      const asset = fresh('cursor_once');
      const run = newRun([assetStep(asset)]);
      await ctx.instance.runs.createRun(run);
      await ctx.instance.runs.startStep(run.id, asset, 1, at(1), 'w');
      await ctx.instance.runs.finishStep(run.id, asset, succeeded(1, { cursor: { value: 'first' } }));
      await ctx.instance.runs.finishStep(run.id, asset, succeeded(1, { cursor: { value: 'second' } }));
      expect((await ctx.instance.eventLog.getCursor(asset))?.value).toBe('first');
    });
  });
}
