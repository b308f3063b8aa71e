import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defineAsset } from '../../src/core/asset/define-asset.js';
import { defineAssetCheck } from '../../src/core/checks/check-definition.js';
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

const statusOf = async (runId: string) => Object.fromEntries((await h!.instance.runs.listSteps(runId)).map((s) => [s.key, s.status]));

// Ordering, parallelism, failure skipping, retries, timeouts, logs and redaction, cursors, config,
// resources and asset locks are in the shared executor contract (executor-contract.ts); these are
// the in-process executor's own behaviours.
describe('in-process executor', () => {
  it('runs 16 steps at once on one run signal without a MaxListenersExceededWarning', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => void warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      let running = 0;
      let most = 0;
      const all = deferred();
      const assets = Array.from({ length: 16 }, (_, i) =>
        defineAsset({
          key: `wide${i}`,
          materialize: async () => {
            most = Math.max(most, ++running);
            if (running === 16) all.resolve();
            await all.promise;
            running--;
          },
        }),
      );
      h = await harnessShared(assets);
      const run = await h.materialize('*', { concurrency: 16 });
      expect(run.status).toBe('SUCCESS');
      expect(most).toBe(16);
      // Warnings are emitted on the next tick.
      await new Promise((r) => setImmediate(r));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

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
    const types = (await h.instance.eventLog.listEvents(run.id)).map((e) => e.type);
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
    const results = await h.instance.eventLog.checkResults({ runId: run.id });
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

  it('fails the step with a clear error for a cursor that is not a JSON value', async () => {
    h = await harnessShared([defineAsset({ key: 'bad_cursor', materialize: (ctx) => ctx.cursor.set(() => 1) })]);
    const run = await h.materialize('*');
    expect(run.status).toBe('FAILURE');
    const [step] = await h.instance.runs.listSteps(run.id);
    expect(step?.error).toMatchObject({ code: 'INVALID_CURSOR', message: expect.stringContaining('ctx.cursor.set() in asset "bad_cursor"') });
  });

  it('rejects a selection that selects nothing before writing anything', async () => {
    h = await harnessShared([noop('a', [], { group: 'g' })]);
    const before = (await h.instance.runs.listRuns()).length;
    await expect(h.launch('group:g and not key:a')).rejects.toThrow(/selects no assets/);
    expect(await h.instance.runs.listRuns()).toHaveLength(before);
  });
});
