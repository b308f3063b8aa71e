import { describe, expect, it } from 'vitest';
import type { Instance, StepOutcome } from '../../../../src/storage/instance.js';
import { assetStep, at, checkStep, fresh, newRun, succeeded } from '../../fixtures.js';
import type { ContractContext } from '../contract-context.js';

/** A run of `asset` and its `checks`, each check evaluated with the given result; returns the run id. */
async function evaluate(instance: Instance, asset: string, checks: Record<string, boolean>, second: number): Promise<string> {
  const names = Object.keys(checks);
  const run = newRun([assetStep(asset), ...names.map((name) => checkStep(asset, name))]);
  await instance.runs.createRun(run);
  await instance.runs.startStep(run.id, asset, 1, at(second), 'w');
  await instance.runs.finishStep(run.id, asset, succeeded(1, { at: at(second) }));
  for (const name of names) {
    const passed = checks[name]!;
    const check = { passed, severity: 'ERROR' as const, blocking: true, metadata: { second } };
    const outcome: StepOutcome = passed
      ? { status: 'SUCCEEDED', attempt: 1, at: at(second), durationMs: 1, check }
      : { status: 'FAILED', attempt: 1, at: at(second), durationMs: 1, check, error: { name: 'CheckFailedError', message: 'failed' } };
    await instance.runs.startStep(run.id, `${asset}#${name}`, 1, at(second), 'w');
    await instance.runs.finishStep(run.id, `${asset}#${name}`, outcome);
  }
  return run.id;
}

export function describeLatestCheckResults(ctx: ContractContext): void {
  describe('latest check results', () => {
    it('returns the newest result of each (asset, check) of the given assets, sorted by asset and check', async () => {
      const a = fresh('gate_a');
      const b = fresh('gate_b');
      const other = fresh('gate_other');
      const first = await evaluate(ctx.instance, a, { not_null: false, unique: true }, 1);
      const second = await evaluate(ctx.instance, a, { not_null: true }, 2);
      const onB = await evaluate(ctx.instance, b, { in_range: false }, 3);
      await evaluate(ctx.instance, other, { x: false }, 4);

      const latest = await ctx.instance.eventLog.latestCheckResults([b, a, a]);
      const expected = [
        [a, 'not_null', true, second],
        [a, 'unique', true, first],
        [b, 'in_range', false, onB],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0])) || String(x[1]).localeCompare(String(y[1])));
      expect(latest.map((r) => [r.assetKey, r.checkName, r.passed, r.runId])).toEqual(expected);
      expect(latest.find((r) => r.checkName === 'not_null')).toMatchObject({ severity: 'ERROR', blocking: true, metadata: { second: 2 }, at: at(2) });
      expect(await ctx.instance.eventLog.latestCheckResults([])).toEqual([]);
      expect(await ctx.instance.eventLog.latestCheckResults([fresh('never')])).toEqual([]);
    });
  });
}
