import { afterEach, describe, expect, it } from 'vitest';
import { defineAsset } from '../../src/core/asset/define-asset.js';
import { defineMultiAsset } from '../../src/core/asset/define-multi-asset.js';
import type { OpenExecutor, ExecutorUnderTest } from './executor-contract.js';

/**
 * Multi-assets on an executor: one step for the selected keys, each key's materialization and check
 * result stored while the step still runs, locks on every key, gating by its own checks, a retry of
 * only what did not succeed, and a split where a plain asset sits between two of its keys. Keys are
 * unique per test (executors share one store).
 */
export function multiAssetContract(name: string, open: OpenExecutor): void {
  describe(`multi-assets: ${name}`, () => {
    let ex: ExecutorUnderTest | undefined;
    afterEach(async () => {
      await ex?.close();
      ex = undefined;
    });
    const until = async (what: string, test: () => Promise<boolean>) => {
      for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) if (await test()) return;
      throw new Error(`timed out waiting for ${what}`);
    };

    it('materializes its keys in one step, each stored as it is reported, with every key locked while it runs', async () => {
      const seen: { locks: string[]; liveA: boolean; cursor: unknown } = { locks: [], liveA: false, cursor: undefined };
      const multi = defineMultiAsset({
        name: 'm1',
        specs: [{ key: 'm1/a' }, { key: 'm1/b', deps: ['m1/a'], codeVersion: 'v2' }],
        async materialize(ctx) {
          expect(ctx.selectedKeys).toEqual(['m1/a', 'm1/b']);
          seen.cursor = await ctx.cursor('m1/a').get();
          ctx.cursor('m1/a').set({ upTo: 7 });
          ctx.report('m1/a', { metadata: { rows: 3 } });
          // The first key's materialization is in storage while the step still runs.
          await until('m1/a stored', async () => (await ex!.instance.eventLog.latestMaterializations(['m1/a'])).has('m1/a'));
          seen.liveA = true;
          seen.locks = (await ex!.instance.coordination.listAssetLocks()).filter((l) => l.assetKey.startsWith('m1/')).map((l) => l.assetKey).sort();
          return { 'm1/b': { metadata: { rows: 5 }, dataVersion: 'd1' } };
        },
      });
      const after = defineAsset({ key: 'm1_after', deps: ['m1/b'], materialize: () => ({ metadata: { ok: true } }) });
      ex = await open([...multi.assets, after]);
      const run = await ex.materialize('*');
      expect(run.status).toBe('SUCCESS');
      expect(seen).toEqual({ locks: ['m1/a', 'm1/b'], liveA: true, cursor: undefined });
      const steps = await ex.instance.runs.listSteps(run.id);
      expect(steps.map((s) => [s.key, s.status, s.assetKeys])).toEqual([
        ['@m1', 'SUCCEEDED', ['m1/a', 'm1/b']],
        ['m1_after', 'SUCCEEDED', null],
      ]);
      const latest = await ex.instance.eventLog.latestMaterializations(['m1/a', 'm1/b']);
      expect(latest.get('m1/a')).toMatchObject({ stepKey: '@m1', metadata: { rows: 3 } });
      expect(latest.get('m1/b')).toMatchObject({ stepKey: '@m1', metadata: { rows: 5 }, dataVersion: 'd1', codeVersion: 'v2' });
      expect((await ex.instance.eventLog.getCursor('m1/a'))?.value).toEqual({ upTo: 7 });
      const events = (await ex.instance.eventLog.listEvents(run.id)).filter((e) => e.stepKey === '@m1').map((e) => (e.type === 'MATERIALIZATION' ? `M ${e.data.assetKey}` : e.type));
      expect(events.filter((e) => e !== 'LOG')).toEqual(['STEP_STARTED', 'M m1/a', 'M m1/b', 'STEP_SUCCEEDED']);
      expect(await ex.instance.coordination.listAssetLocks()).toEqual([]);
    });

    it('fails its step when its own blocking check fails: materializations kept, downstream skipped, result recorded', async () => {
      const multi = defineMultiAsset({
        name: 'm2',
        specs: [{ key: 'm2/a' }, { key: 'm2/b' }],
        checks: [
          { asset: 'm2/a', name: 'rows', blocking: true },
          { asset: 'm2/b', name: 'soft', severity: 'WARN' },
        ],
        materialize(ctx) {
          expect(ctx.selectedChecks).toEqual([
            { asset: 'm2/a', name: 'rows' },
            { asset: 'm2/b', name: 'soft' },
          ]);
          ctx.report('m2/a');
          ctx.reportCheck('m2/a', 'rows', { passed: false, description: '2 bad rows', metadata: { failing: 2 } });
          ctx.report('m2/b');
          ctx.reportCheck('m2/b', 'soft', { passed: false });
        },
      });
      const downA = defineAsset({ key: 'm2_down_a', deps: ['m2/a'], materialize: () => {} });
      ex = await open([...multi.assets, downA]);
      const run = await ex.materialize('*');
      expect(run.status).toBe('FAILURE');
      const steps = await ex.instance.runs.listSteps(run.id);
      expect(steps.map((s) => [s.key, s.status, s.error?.code ?? null])).toEqual([
        ['@m2', 'FAILED', 'CHECK_FAILED'],
        ['m2_down_a', 'SKIPPED', null],
      ]);
      expect([...(await ex.instance.eventLog.latestMaterializations(['m2/a', 'm2/b'])).keys()].sort()).toEqual(['m2/a', 'm2/b']);
      const results = await ex.instance.eventLog.latestCheckResults(['m2/a', 'm2/b']);
      expect(results.map((r) => [r.assetKey, r.checkName, r.passed, r.severity, r.blocking, r.description])).toEqual([
        ['m2/a', 'rows', false, 'ERROR', true, '2 bad rows'],
        ['m2/b', 'soft', false, 'WARN', false, null],
      ]);
    });

    it('retries only the keys that did not succeed when it can subset', async () => {
      const attempts: string[][] = [];
      const multi = defineMultiAsset({
        name: 'm3',
        canSubset: true,
        retry: { attempts: 2, backoff: { type: 'fixed', delayMs: 10 } },
        specs: [{ key: 'm3/a' }, { key: 'm3/b' }],
        materialize(ctx) {
          attempts.push([...ctx.selectedKeys]);
          for (const key of ctx.selectedKeys) {
            if (key === 'm3/b' && ctx.attempt === 1) throw new Error('b failed once');
            ctx.report(key);
          }
        },
      });
      ex = await open([...multi.assets]);
      const run = await ex.materialize('*');
      expect(run.status).toBe('SUCCESS');
      expect(attempts).toEqual([['m3/a', 'm3/b'], ['m3/b']]);
      const steps = await ex.instance.runs.listSteps(run.id);
      expect(steps.map((s) => [s.key, s.status, s.attempt])).toEqual([['@m3', 'SUCCEEDED', 2]]);
    });

    it('fails naming the keys it never reported, and marks them failed', async () => {
      const multi = defineMultiAsset({
        name: 'm4',
        specs: [{ key: 'm4/a' }, { key: 'm4/b' }],
        materialize(ctx) {
          ctx.report('m4/a');
        },
      });
      ex = await open([...multi.assets]);
      const run = await ex.materialize('*');
      expect(run.status).toBe('FAILURE');
      const [step] = await ex.instance.runs.listSteps(run.id);
      expect(step!.error).toMatchObject({ code: 'KEYS_NOT_REPORTED' });
      expect(step!.error!.message).toContain('m4/b');
      const states = await ex.instance.eventLog.assetPartitions(['m4/a', 'm4/b']);
      expect(states.map((p) => [p.assetKey, p.status])).toEqual([
        ['m4/a', 'MATERIALIZED'],
        ['m4/b', 'FAILED'],
      ]);
    });

    it('runs as two steps, in order, when a plain asset sits between two of its keys', async () => {
      const order: string[] = [];
      const multi = defineMultiAsset({
        name: 'm5',
        canSubset: true,
        specs: [{ key: 'm5/a' }, { key: 'm5/c', deps: ['m5_x'] }, { key: 'm5/d', deps: ['m5/a'] }],
        materialize(ctx) {
          order.push(ctx.selectedKeys.join('+'));
          for (const key of ctx.selectedKeys) ctx.report(key);
        },
      });
      const between = defineAsset({ key: 'm5_x', deps: ['m5/a'], materialize: () => void order.push('m5_x') });
      ex = await open([...multi.assets, between]);
      const run = await ex.materialize('*');
      expect(run.status).toBe('SUCCESS');
      expect(order).toEqual(['m5/a+m5/d', 'm5_x', 'm5/c']);
      const steps = await ex.instance.runs.listSteps(run.id);
      expect(steps.map((s) => [s.key, s.deps])).toEqual([
        ['@m5', []],
        ['m5_x', ['@m5']],
        ['@m5~2', ['m5_x']],
      ]);
    });
  });
}
