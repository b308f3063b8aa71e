import { afterEach, describe, expect, it } from 'vitest';
import type { AnyAssetDefinition } from '../../src/core/asset/asset-definition.js';
import { z } from 'zod';
import { defineAsset } from '../../src/core/asset/define-asset.js';
import { defineResource } from '../../src/core/asset/resource.js';
import { REDACTED } from '../../src/core/redactor.js';
import type { AnyCheckDefinition } from '../../src/core/checks/check-definition.js';
import { defineAssetCheck } from '../../src/core/checks/check-definition.js';
import type { Instance, RunRecord } from '../../src/storage/instance.js';
import { deferred } from '../fixtures/harness.js';
import { noop } from '../fixtures/graph.js';

/** An executor under test, with the project it executes. */
export interface ExecutorUnderTest {
  readonly instance: Instance;
  /** Steps that may run at once (in-process concurrency, or the workers' total). */
  readonly parallelism: number;
  materialize(selection: string, options?: { signal?: AbortSignal; config?: unknown }): Promise<RunRecord>;
  /** Stops the executor and closes the resources its steps built. */
  close(): Promise<void>;
}

export type OpenExecutor = (assets: AnyAssetDefinition[], checks?: AnyCheckDefinition[], options?: { secrets?: string[] }) => Promise<ExecutorUnderTest>;

/**
 * The behaviour every executor shares: dependency order, bounded parallelism, failure skipping
 * downstream, retries, timeouts, cancel and blocking checks. Keys are unique per test so that
 * executors sharing one store never see each other's assets.
 */
export function executorContract(name: string, open: OpenExecutor): void {
  describe(`executor contract: ${name}`, () => {
    let ex: ExecutorUnderTest | undefined;
    afterEach(async () => {
      await ex?.close();
      ex = undefined;
    });
    const statusOf = async (runId: string) => Object.fromEntries((await ex!.instance.runs.listSteps(runId)).map((s) => [s.key, s.status]));

    it('runs each step after all its dependencies', async () => {
      const ended = new Map<string, number>();
      const started = new Map<string, number>();
      let clock = 0;
      const track = (key: string, deps: string[] = []) =>
        defineAsset({
          key,
          deps,
          materialize: async () => {
            started.set(key, clock++);
            await new Promise((r) => setTimeout(r, 5));
            ended.set(key, clock++);
          },
        });
      ex = await open([track('c1_a'), track('c1_b', ['c1_a']), track('c1_c', ['c1_a']), track('c1_d', ['c1_b', 'c1_c'])]);
      const run = await ex.materialize('*');
      expect(run.status).toBe('SUCCESS');
      expect(started.get('c1_b')!).toBeGreaterThan(ended.get('c1_a')!);
      expect(started.get('c1_c')!).toBeGreaterThan(ended.get('c1_a')!);
      expect(started.get('c1_d')!).toBeGreaterThan(Math.max(ended.get('c1_b')!, ended.get('c1_c')!));
      const events = await ex.instance.eventLog.listEvents(run.id);
      expect(events.filter((e) => e.type === 'MATERIALIZATION')).toHaveLength(4);
      expect(events.at(-1)!.type).toBe('RUN_SUCCESS');
    });

    it('runs independent steps in parallel, never more than its parallelism', async () => {
      let running = 0;
      let peak = 0;
      const slow = (key: string) =>
        defineAsset({
          key,
          materialize: async () => {
            running++;
            peak = Math.max(peak, running);
            await new Promise((r) => setTimeout(r, 60));
            running--;
          },
        });
      ex = await open(Array.from({ length: 8 }, (_, i) => slow(`c2_${i}`)));
      const run = await ex.materialize('*');
      expect(run.status).toBe('SUCCESS');
      expect(peak).toBeGreaterThan(1);
      expect(peak).toBeLessThanOrEqual(ex.parallelism);
    });

    it('skips downstream of a failed step while independent branches finish', async () => {
      ex = await open([
        defineAsset({ key: 'c3_bad', materialize: () => { throw new Error('boom'); } }),
        noop('c3_after_bad', ['c3_bad']),
        noop('c3_good'),
        noop('c3_after_good', ['c3_good']),
      ]);
      const run = await ex.materialize('*');
      expect(run.status).toBe('FAILURE');
      expect(await statusOf(run.id)).toEqual({ c3_bad: 'FAILED', c3_after_bad: 'SKIPPED', c3_good: 'SUCCEEDED', c3_after_good: 'SUCCEEDED' });
      expect(run.error?.message).toContain('c3_bad');
    });

    it('retries a failing step by its policy and records each attempt', async () => {
      let calls = 0;
      ex = await open([
        defineAsset({
          key: 'c4_flaky',
          retry: { attempts: 3, backoff: { type: 'fixed', delayMs: 20 } },
          materialize: (ctx) => {
            calls++;
            if (ctx.attempt < 3) throw new Error(`attempt ${ctx.attempt}`);
          },
        }),
        noop('c4_next', ['c4_flaky']),
      ]);
      const run = await ex.materialize('*');
      expect(run.status).toBe('SUCCESS');
      expect(calls).toBe(3);
      const events = await ex.instance.eventLog.listEvents(run.id);
      const failures = events.flatMap((e) => (e.type === 'STEP_FAILED' ? [[e.data.attempt, e.data.willRetry]] : []));
      expect(failures).toEqual([
        [1, true],
        [2, true],
      ]);
      expect((await ex.instance.runs.listSteps(run.id)).find((s) => s.key === 'c4_flaky')!.attempt).toBe(3);
    });

    it('fails a step past its timeout with its signal aborted', async () => {
      let aborted = false;
      ex = await open([
        defineAsset({
          key: 'c5_hang',
          timeoutMs: 100,
          materialize: (ctx) => new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => { aborted = true; resolve(); })),
        }),
        noop('c5_next', ['c5_hang']),
      ]);
      const run = await ex.materialize('*');
      expect(run.status).toBe('FAILURE');
      expect(aborted).toBe(true);
      const steps = await ex.instance.runs.listSteps(run.id);
      expect(steps.find((s) => s.key === 'c5_hang')!.error?.code).toBe('STEP_TIMEOUT');
      expect(steps.find((s) => s.key === 'c5_next')!.status).toBe('SKIPPED');
    });

    it('cancels: the running step sees its signal, nothing downstream starts, the run ends CANCELED', async () => {
      const started = deferred();
      let aborted = false;
      let downstreamRan = false;
      ex = await open([
        defineAsset({
          key: 'c6_long',
          materialize: (ctx) =>
            new Promise<void>((_, reject) => {
              started.resolve();
              ctx.signal.addEventListener('abort', () => { aborted = true; reject(new Error('stopped')); });
            }),
        }),
        defineAsset({ key: 'c6_next', deps: ['c6_long'], materialize: () => void (downstreamRan = true) }),
      ]);
      const abort = new AbortController();
      const done = ex.materialize('*', { signal: abort.signal });
      await started.promise;
      abort.abort();
      const run = await done;
      expect(run.status).toBe('CANCELED');
      expect(aborted).toBe(true);
      expect(downstreamRan).toBe(false);
      expect(await statusOf(run.id)).toEqual({ c6_long: 'CANCELED', c6_next: 'CANCELED' });
    });

    it('skips downstream of a failing blocking check but not of a failing warning', async () => {
      ex = await open(
        [noop('c7_raw'), noop('c7_stg', ['c7_raw']), noop('c7_side'), noop('c7_side_next', ['c7_side'])],
        [
          defineAssetCheck({ asset: 'c7_raw', name: 'valid', blocking: true, check: () => ({ passed: false, metadata: { bad: 3 } }) }),
          defineAssetCheck({ asset: 'c7_side', name: 'warn', blocking: true, severity: 'WARN', check: () => ({ passed: false }) }),
        ],
      );
      const run = await ex.materialize('*');
      expect(run.status).toBe('FAILURE');
      expect(await statusOf(run.id)).toEqual({
        c7_raw: 'SUCCEEDED',
        'c7_raw#valid': 'FAILED',
        c7_stg: 'SKIPPED',
        c7_side: 'SUCCEEDED',
        'c7_side#warn': 'SUCCEEDED',
        c7_side_next: 'SUCCEEDED',
      });
      const results = await ex.instance.eventLog.checkResults({ runId: run.id });
      expect(results.map((r) => [r.checkName, r.passed]).sort()).toEqual([
        ['valid', false],
        ['warn', false],
      ]);
    });

    it('stores ctx.log lines as LOG events with their fields, secrets redacted from logs, errors and steps', async () => {
      ex = await open(
        [
          defineAsset({
            key: 'c8_chatty',
            materialize: (ctx) => {
              ctx.log.info({ rows: 3 }, 'loaded rows');
              ctx.log.warn('connecting with hunter22secret');
              ctx.log.info({ password: 'pw-in-a-field' }, 'login');
              throw new Error('could not connect to postgres://u:hunter22secret@db/x');
            },
          }),
        ],
        [],
        { secrets: ['hunter22secret'] },
      );
      const run = await ex.materialize('*');
      const events = await ex.instance.eventLog.listEvents(run.id);
      const logs = events.flatMap((e) => (e.type === 'LOG' ? [e.data] : []));
      expect(logs.slice(0, 3)).toEqual([
        { level: 'info', msg: 'loaded rows', fields: { rows: 3 } },
        { level: 'warn', msg: `connecting with ${REDACTED}` },
        { level: 'info', msg: 'login', fields: { password: REDACTED } },
      ]);
      const serialized = JSON.stringify(events) + JSON.stringify(await ex.instance.runs.listSteps(run.id));
      expect(serialized).toContain(REDACTED);
      expect(serialized).not.toContain('hunter22secret');
      expect(serialized).not.toContain('pw-in-a-field');
    });

    it('writes log lines while the step runs, in order, and STEP_STARTED with a short step\'s outcome', async () => {
      let seenLive = false;
      ex = await open([
        defineAsset({
          key: 'c9_live',
          materialize: async (ctx) => {
            ctx.log.info('first');
            for (let i = 0; i < 300 && !seenLive; i++) {
              await new Promise((r) => setTimeout(r, 10));
              seenLive = (await ex!.instance.eventLog.listEvents(ctx.run.id, { types: ['LOG'] })).some((e) => e.type === 'LOG' && e.data.msg === 'first');
            }
            ctx.log.info('second');
          },
        }),
        defineAsset({ key: 'c9_short', deps: ['c9_live'], materialize: () => {} }),
      ]);
      const run = await ex.materialize('*');
      expect(seenLive).toBe(true);
      const events = await ex.instance.eventLog.listEvents(run.id);
      const of = (key: string) => events.filter((e) => e.stepKey === key);
      expect(of('c9_live').map((e) => (e.type === 'LOG' ? e.data.msg : e.type))).toEqual(['STEP_STARTED', 'first', 'second', 'MATERIALIZATION', 'STEP_SUCCEEDED']);
      // A short step: one batch, consecutive ids, written by its outcome's one statement.
      expect(of('c9_short').map((e) => [e.type, e.id - of('c9_short')[0]!.id])).toEqual([
        ['STEP_STARTED', 0],
        ['MATERIALIZATION', 1],
        ['STEP_SUCCEEDED', 2],
      ]);
    });

    it('commits a cursor only with the success of the attempt that set it', async () => {
      const seen: unknown[] = [];
      let failNext = true;
      ex = await open([
        defineAsset({
          key: 'c10_incremental',
          retry: { attempts: 2, backoff: { type: 'fixed', delayMs: 1 } },
          materialize: async (ctx) => {
            const previous = await ctx.cursor.get<{ highWater: number }>();
            seen.push(previous);
            ctx.cursor.set({ highWater: (previous?.highWater ?? 0) + 10 });
            if (failNext) {
              failNext = false;
              throw new Error('load failed after moving the cursor');
            }
          },
        }),
      ]);
      expect((await ex.materialize('*')).status).toBe('SUCCESS');
      // Attempt 1 set 10 and failed: attempt 2 still read nothing, and its success stored 10.
      expect(seen).toEqual([undefined, undefined]);
      expect((await ex.instance.eventLog.getCursor('c10_incremental'))?.value).toEqual({ highWater: 10 });
    });

    it('hands each asset its validated config, and builds a resource once for all its steps', async () => {
      let built = 0;
      let closed = 0;
      const counter = defineResource({ name: 'counter', create: () => ({ id: ++built }), close: () => void closed++ });
      const seen: unknown[] = [];
      const uses = (key: string) => defineAsset({ key, resources: { counter }, config: z.object({ n: z.number().default(1) }), materialize: (ctx) => void seen.push([ctx.resources.counter.id, ctx.config.n]) });
      ex = await open([uses('c11_a'), uses('c11_b'), uses('c11_c')]);
      const run = await ex.materialize('*', { config: { c11_b: { n: 2 } } });
      expect(run.status).toBe('SUCCESS');
      expect(seen.sort()).toEqual([
        [1, 1],
        [1, 1],
        [1, 2],
      ]);
      await ex.close();
      ex = undefined;
      expect([built, closed]).toEqual([1, 1]);
    });

    it('never materializes one asset in two runs at once; the others wait for it', async () => {
      let running = 0;
      let peak = 0;
      ex = await open([
        defineAsset({
          key: 'c12_shared',
          materialize: async () => {
            running++;
            peak = Math.max(peak, running);
            await new Promise((r) => setTimeout(r, 60));
            running--;
          },
        }),
      ]);
      const ended = await Promise.all([ex.materialize('*'), ex.materialize('*'), ex.materialize('*')]);
      expect(ended.map((r) => r.status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
      expect(peak).toBe(1);
      expect((await ex.instance.coordination.listAssetLocks()).filter((l) => l.assetKey === 'c12_shared')).toEqual([]);
    });
  });
}
