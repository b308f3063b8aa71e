import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAsset } from '../../src/core/asset/define-asset.js';
import { defineResource } from '../../src/core/asset/resource.js';
import { defineAssetCheck } from '../../src/core/checks/check-definition.js';
import { REDACTED } from '../../src/core/redactor.js';
import { deferred, harness, type Harness } from '../fixtures/harness.js';
import { noop } from '../fixtures/graph.js';
import type { Instance } from '../../src/storage/instance.js';
import { openInstance } from '../../src/storage/index.js';

let shared: Instance;
beforeAll(async () => {
  shared = await openInstance({ kind: 'pglite', dataDir: undefined });
});
afterAll(() => shared.close());

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** harness() over the file's shared store. */
function harnessShared(...args: Parameters<typeof harness>): Promise<Harness> {
  const [assets, checks = [], options = {}] = args;
  return harness(assets, checks, { ...options, instance: shared });
}

const statusOf = async (runId: string) => Object.fromEntries((await h!.instance.listSteps(runId)).map((s) => [s.key, s.status]));

// Ordering, parallelism, failure skipping, retries and timeouts are in the shared executor contract
// (executor-contract.ts); these are the in-process executor's own behaviours.
describe('in-process executor', () => {
  it('cancels: running steps see the signal, nothing new starts, the run ends CANCELED', async () => {
    const started = deferred();
    let sawAbort = false;
    let downstreamRan = false;
    h = await harnessShared([
      defineAsset({
        key: 'long',
        materialize: (ctx) =>
          new Promise<void>((_, reject) => {
            started.resolve();
            ctx.signal.addEventListener('abort', () => {
              sawAbort = true;
              reject(ctx.signal.reason);
            });
          }),
      }),
      defineAsset({ key: 'next', deps: ['long'], materialize: () => void (downstreamRan = true) }),
    ]);
    const abort = new AbortController();
    const done = h.materialize('*', { signal: abort.signal });
    await started.promise;
    abort.abort();
    const run = await done;
    expect(run.status).toBe('CANCELED');
    expect(sawAbort).toBe(true);
    expect(downstreamRan).toBe(false);
    expect(await statusOf(run.id)).toEqual({ long: 'CANCELED', next: 'CANCELED' });
    const types = (await h.instance.listEvents(run.id)).map((e) => e.type);
    expect(types.slice(-4)).toEqual(['STEP_CANCELED', 'RUN_CANCELING', 'STEP_CANCELED', 'RUN_CANCELED']);
  });

  it('skips everything downstream of a failing blocking check; a failing non-blocking check does not', async () => {
    h = await harnessShared(
      [noop('raw'), noop('stg', ['raw']), noop('mart', ['stg']), noop('side')],
      [
        defineAssetCheck({ asset: 'raw', name: 'valid', blocking: true, check: () => ({ passed: false, metadata: { bad_rows: 12 }, description: 'too many bad rows' }) }),
        defineAssetCheck({ asset: 'side', name: 'advisory', check: () => ({ passed: false }) }),
      ],
    );
    const run = await h.materialize('*');
    expect(run.status).toBe('FAILURE');
    expect(await statusOf(run.id)).toEqual({
      raw: 'SUCCEEDED',
      'raw#valid': 'FAILED',
      stg: 'SKIPPED',
      mart: 'SKIPPED',
      side: 'SUCCEEDED',
      'side#advisory': 'SUCCEEDED',
    });
    const results = await h.instance.checkResults({ runId: run.id });
    expect(results.map((r) => [r.checkName, r.passed, r.blocking]).sort()).toEqual([
      ['advisory', false, false],
      ['valid', false, true],
    ]);
    expect(results.find((r) => r.checkName === 'valid')!.metadata).toEqual({ bad_rows: 12 });
  });

  it('a failing non-blocking check leaves the run a SUCCESS', async () => {
    h = await harnessShared([noop('a'), noop('b', ['a'])], [defineAssetCheck({ asset: 'a', name: 'warn', severity: 'WARN', blocking: true, check: () => ({ passed: false }) })]);
    const run = await h.materialize('*');
    expect(run.status).toBe('SUCCESS');
    expect((await statusOf(run.id)).b).toBe('SUCCEEDED');
  });

  it('stores ctx.log lines as LOG events with their fields, secrets redacted', async () => {
    h = await harnessShared(
      [
        defineAsset({
          key: 'chatty',
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
    const run = await h.materialize('*');
    const events = await h.instance.listEvents(run.id);
    const logs = events.flatMap((e) => (e.type === 'LOG' ? [e.data] : []));
    expect(logs[0]).toEqual({ level: 'info', msg: 'loaded rows', fields: { rows: 3 } });
    expect(logs[1]).toEqual({ level: 'warn', msg: `connecting with ${REDACTED}` });
    expect(logs[2]).toEqual({ level: 'info', msg: 'login', fields: { password: REDACTED } });
    const serialized = JSON.stringify(events) + JSON.stringify(await h.instance.listSteps(run.id));
    expect(serialized).not.toContain('hunter22secret');
    expect(serialized).not.toContain('pw-in-a-field');
  });

  it('writes log lines while the step runs, before its outcome and in order', async () => {
    let seenLive = false;
    h = await harnessShared([
      defineAsset({
        key: 'live',
        materialize: async (ctx) => {
          ctx.log.info('first');
          for (let i = 0; i < 200 && !seenLive; i++) {
            await new Promise((r) => setTimeout(r, 10));
            seenLive = (await h!.instance.listEvents(ctx.run.id, { types: ['LOG'] })).some((e) => e.type === 'LOG' && e.data.msg === 'first');
          }
          ctx.log.info('second');
        },
      }),
    ]);
    const run = await h.materialize('*');
    expect(seenLive).toBe(true);
    const types = (await h.instance.listEvents(run.id)).filter((e) => e.stepKey === 'live').map((e) => (e.type === 'LOG' ? e.data.msg : e.type));
    expect(types).toEqual(['STEP_STARTED', 'first', 'second', 'MATERIALIZATION', 'STEP_SUCCEEDED']);
  });


  it('writes STEP_STARTED while a long step runs, and a short step writes it with its outcome', async () => {
    let startedLive = false;
    h = await harnessShared([
      defineAsset({
        key: 'long_quiet',
        materialize: async (ctx) => {
          for (let i = 0; i < 200 && !startedLive; i++) {
            await new Promise((r) => setTimeout(r, 10));
            startedLive = (await h!.instance.listEvents(ctx.run.id, { types: ['STEP_STARTED'] })).length === 1;
          }
        },
      }),
      defineAsset({ key: 'short', deps: ['long_quiet'], materialize: () => {} }),
    ]);
    const run = await h.materialize('*');
    expect(startedLive).toBe(true);
    const events = await h.instance.listEvents(run.id);
    const of = (key: string) => events.filter((e) => e.stepKey === key);
    expect(of('short').map((e) => e.type)).toEqual(['STEP_STARTED', 'MATERIALIZATION', 'STEP_SUCCEEDED']);
    // One batch: consecutive ids, written by the outcome's one statement.
    expect(of('short').map((e) => e.id - of('short')[0]!.id)).toEqual([0, 1, 2]);
    expect(of('long_quiet')[0]).toMatchObject({ type: 'STEP_STARTED', data: { attempt: 1 } });
  });
  it('commits a cursor only with the success of the attempt that set it', async () => {
    const seen: unknown[] = [];
    let failNext = true;
    h = await harnessShared([
      defineAsset({
        key: 'incremental',
        retry: { attempts: 2, backoff: { type: 'fixed', delayMs: 1 } },
        materialize: async (ctx) => {
          const previous = await ctx.cursor.get<{ highWater: number }>();
          seen.push(previous);
          ctx.cursor.set({ highWater: (previous?.highWater ?? 0) + 10 });
          expect(await ctx.cursor.get()).toEqual({ highWater: (previous?.highWater ?? 0) + 10 });
          if (failNext) {
            failNext = false;
            throw new Error('load failed after moving the cursor');
          }
        },
      }),
    ]);
    expect((await h.materialize('*')).status).toBe('SUCCESS');
    // Attempt 1 set 10 and failed: attempt 2 still read nothing, and its success stored 10.
    expect(seen).toEqual([undefined, undefined]);
    expect((await h.instance.getCursor('incremental'))?.value).toEqual({ highWater: 10 });
    expect((await h.materialize('*')).status).toBe('SUCCESS');
    expect(seen.at(-1)).toEqual({ highWater: 10 });
    expect((await h.instance.getCursor('incremental'))?.value).toEqual({ highWater: 20 });
  });

  it('fails the step with a clear error for a cursor that is not a JSON value', async () => {
    h = await harnessShared([defineAsset({ key: 'bad_cursor', materialize: (ctx) => ctx.cursor.set(() => 1) })]);
    const run = await h.materialize('*');
    expect(run.status).toBe('FAILURE');
    const [step] = await h.instance.listSteps(run.id);
    expect(step?.error).toMatchObject({ code: 'INVALID_CURSOR', message: expect.stringContaining('ctx.cursor.set() in asset "bad_cursor"') });
  });

  it('hands each asset its validated config', async () => {
    let seen: unknown;
    h = await harnessShared([
      defineAsset({ key: 'cfg', config: z.object({ days: z.number().default(3), name: z.string() }), materialize: (ctx) => void (seen = ctx.config) }),
    ]);
    const before = (await h.instance.listRuns()).length;
    await expect(h.materialize('*', { config: { cfg: { days: 'x' } } })).rejects.toThrow(/field "days"/);
    expect(await h.instance.listRuns()).toHaveLength(before);
    const run = await h.materialize('*', { config: { cfg: { name: 'n' } } });
    expect(run.status).toBe('SUCCESS');
    expect(seen).toEqual({ days: 3, name: 'n' });
  });

  it('builds a resource once for all steps and closes it at the end', async () => {
    let built = 0;
    let closed = 0;
    const counter = defineResource({ name: 'counter', create: () => ({ id: ++built }), close: () => void closed++ });
    const ids: number[] = [];
    const uses = (key: string) => defineAsset({ key, resources: { counter }, materialize: (ctx) => void ids.push(ctx.resources.counter.id) });
    h = await harnessShared([uses('a'), uses('b'), uses('c')]);
    await h.materialize('*');
    expect(ids).toEqual([1, 1, 1]);
    await h.resources.closeAll();
    expect(closed).toBe(1);
  });

  it('rejects a selection that selects nothing before writing anything', async () => {
    h = await harnessShared([noop('a', [], { group: 'g' })]);
    const before = (await h.instance.listRuns()).length;
    await expect(h.launch('group:g and not key:a')).rejects.toThrow(/selects no assets/);
    expect(await h.instance.listRuns()).toHaveLength(before);
  });
});
