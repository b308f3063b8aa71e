import { describe, expect, it } from 'vitest';
import type { NewEvent } from '../../../../src/core/events.js';
import type { Instance, StepOutcome } from '../../../../src/storage/instance.js';
import { assetStep, at, checkStep, failed, fresh, graph, newRun, succeeded } from '../../fixtures.js';
import type { ContractContext } from '../contract-context.js';
import { partitioned } from '../partition-runs.js';

/**
 * A run under prefix `p` whose steps a, b, c, d, e#valid are RUNNING (e SUCCEEDED before), with
 * children ca [a], cab [a, b], cz [c, z], and x and z PENDING; a is over partition 'p1'.
 */
async function runningRun(instance: Instance, p: string): Promise<string> {
  const k = (name: string) => `${p}/${name}`;
  const steps = [
    partitioned(assetStep(k('a')), ['p1']),
    ...graph(p, { b: [], c: [], d: [], e: [], x: [], z: [], ca: ['a'], cab: ['a', 'b'], cz: ['c', 'z'] }),
    checkStep(k('e'), 'valid'),
  ];
  const run = newRun(steps);
  await instance.runs.createRun(run);
  await instance.runs.startStep(run.id, k('e'), 1, at(1), 'w');
  await instance.runs.finishStep(run.id, k('e'), succeeded());
  for (const name of ['a', 'b', 'c', 'd', 'e#valid']) expect(await instance.runs.startStep(run.id, k(name), 1, at(2), 'w')).toEqual({ started: true });
  return run.id;
}

/** A batch with no failure: materializations (a partition, versions), cursors, a check result, a cancel with an error, log events, a stale finish. */
function batchOf(runId: string, p: string): { stepKey: string; outcome: StepOutcome }[] {
  const k = (name: string) => `${p}/${name}`;
  const line = (name: string): NewEvent => ({ type: 'LOG', runId, stepKey: k(name), at: at(3), data: { level: 'info', msg: `hello from ${name}` } });
  return [
    { stepKey: k('x'), outcome: succeeded() },
    { stepKey: k('e#valid'), outcome: succeeded(1, { check: { passed: true, severity: 'WARN', blocking: false, metadata: { rows: 3 }, description: 'ok' } }) },
    { stepKey: k('d'), outcome: { status: 'CANCELED', attempt: 1, at: at(10), durationMs: 5, error: { name: 'RunCanceledError', message: 'canceled' } } },
    { stepKey: k('c'), outcome: succeeded(1, { materialization: { metadata: {} } }) },
    {
      stepKey: k('b'),
      outcome: succeeded(1, { materialization: { metadata: { rows: 2 }, dataVersion: 'v2' }, cursor: { value: null }, events: [line('b')] }),
    },
    {
      stepKey: k('a'),
      outcome: succeeded(1, { materialization: { metadata: { rows: 1 }, codeVersion: 'c1', partition: 'p1' }, cursor: { value: { upTo: 7 } }, events: [line('a')] }),
    },
  ];
}

/** What a run and its assets hold, with the prefix and run id taken out, so that two runs can be compared. */
async function written(instance: Instance, runId: string, p: string) {
  const strip = (value: unknown) => JSON.parse(JSON.stringify(value).replaceAll(p, 'P').replaceAll(runId, 'RUN')) as unknown;
  const keys = ['a', 'b', 'c', 'd', 'e'].map((name) => `${p}/${name}`);
  const steps = (await instance.runs.listSteps(runId)).map(({ key, status, attempt, error, endedAt }) => ({ key, status, attempt, error, endedAt }));
  const events = (await instance.eventLog.listEvents(runId)).map(({ type, stepKey, at: when, data }) => ({ type, stepKey, at: when, data }));
  const materializations = (await Promise.all(keys.map((key) => instance.eventLog.materializations(key)))).flat().map(({ id: _id, ...m }) => m);
  const checks = (await instance.eventLog.checkResults({ runId })).map(({ id: _id, ...c }) => c);
  const cursors = await Promise.all(keys.map(async (key) => [await instance.eventLog.getCursor(key), await instance.eventLog.getCursor(key, 'p1')]));
  const locks = (await instance.coordination.listAssetLocks()).filter((lock) => lock.runId === runId);
  return strip({
    steps,
    events,
    materializations,
    checks,
    partitions: await instance.eventLog.assetPartitions(keys),
    cursors,
    locks,
    unfinished: await instance.runs.unfinishedStepCount(runId),
    ready: await instance.runs.readySteps(runId),
  });
}

/** finishSteps: several finishes of one run in one transaction, as if they had been made one after the other in key order. */
export function describeGroupCommit(ctx: ContractContext): void {
  describe('group commit (finishSteps)', () => {
    it('ends a batch of mixed outcomes as finishStep would one by one in key order: ready, skipped, counts and events', async () => {
      const p = fresh('batch');
      const k = (name: string) => `${p}/${name}`;
      const materialized = succeeded(1, { materialization: { metadata: { rows: 1 } } });
      const run = newRun(graph(p, { a: [], b: [], c: [], ca: ['a'], cb: ['b'], cbb: ['cb'], x: [] }));
      await ctx.instance.runs.createRun(run);
      for (const name of ['a', 'b', 'c']) await ctx.instance.runs.startStep(run.id, k(name), 1, at(1), 'w');

      // Given out of key order, with a stale finish (x never started) among them.
      const results = await ctx.instance.runs.finishSteps(run.id, [
        { stepKey: k('c'), outcome: succeeded() },
        { stepKey: k('x'), outcome: succeeded() },
        { stepKey: k('b'), outcome: failed() },
        { stepKey: k('a'), outcome: materialized },
      ]);
      // Key order a, b, c, x: a frees ca (7 -> 6), b fails and skips cb and cbb (-> 3), c (-> 2), x nothing.
      expect(results).toEqual([
        { ready: [], skipped: [], remaining: 2 },
        { ready: [], skipped: [], remaining: 2 },
        { ready: [], skipped: [k('cb'), k('cbb')], remaining: 3 },
        { ready: [k('ca')], skipped: [], remaining: 6 },
      ]);
      expect(await ctx.instance.runs.unfinishedStepCount(run.id)).toBe(2);
      expect(await ctx.instance.runs.readySteps(run.id)).toEqual([k('ca'), k('x')]);
      const status = Object.fromEntries((await ctx.instance.runs.listSteps(run.id)).map((s) => [s.key, s.status]));
      expect(status).toEqual({ [k('a')]: 'SUCCEEDED', [k('b')]: 'FAILED', [k('c')]: 'SUCCEEDED', [k('ca')]: 'PENDING', [k('cb')]: 'SKIPPED', [k('cbb')]: 'SKIPPED', [k('x')]: 'PENDING' });

      const events = (await ctx.instance.eventLog.listEvents(run.id)).filter((e) => e.type !== 'RUN_QUEUED').map((e) => `${e.type} ${e.stepKey?.slice(p.length + 1)}`);
      expect(events).toEqual([
        'MATERIALIZATION a',
        'STEP_SUCCEEDED a',
        'STEP_FAILED b',
        'STEP_SKIPPED cb',
        'STEP_SKIPPED cbb',
        'STEP_SUCCEEDED c',
      ]);
      expect(await ctx.instance.eventLog.latestMaterializations([k('a'), k('b'), k('c')])).toHaveProperty('size', 1);

      // The same batch again writes nothing.
      const again = await ctx.instance.runs.finishSteps(run.id, [
        { stepKey: k('a'), outcome: materialized },
        { stepKey: k('c'), outcome: succeeded() },
      ]);
      expect(again).toEqual([
        { ready: [], skipped: [], remaining: 2 },
        { ready: [], skipped: [], remaining: 2 },
      ]);
      expect(await ctx.instance.eventLog.listEvents(run.id)).toHaveLength(1 + events.length);
    });

    it('ends a batch without failures in one go exactly as finishStep would one by one in key order: results, rows, cursors, locks and events', async () => {
      const pa = fresh('setbatch');
      const pb = fresh('setbatch');
      const [batched, oneByOne] = [await runningRun(ctx.instance, pa), await runningRun(ctx.instance, pb)];
      const results = await ctx.instance.runs.finishSteps(batched, batchOf(batched, pa));
      const inKeyOrder = batchOf(oneByOne, pb).map((f, i) => ({ ...f, i })).sort((x, y) => (x.stepKey < y.stepKey ? -1 : 1));
      const expected: unknown[] = [];
      for (const f of inKeyOrder) expected[f.i] = await ctx.instance.runs.finishStep(oneByOne, f.stepKey, f.outcome);
      expect(JSON.parse(JSON.stringify(results).replaceAll(pa, 'P'))).toEqual(JSON.parse(JSON.stringify(expected).replaceAll(pb, 'P')));
      // cab was released by b, the later of its two parents; cz still waits for z.
      expect(results.map((r) => r.ready)).toEqual([[], [], [], [], [`${pa}/cab`], [`${pa}/ca`]]);
      expect(results.map((r) => r.remaining)).toEqual([5, 5, 6, 7, 8, 9]);
      const after = await written(ctx.instance, batched, pa);
      expect(after).toEqual(await written(ctx.instance, oneByOne, pb));
      expect(after).toMatchObject({ unfinished: 5, locks: [] });

      // The same batch again writes nothing and says so.
      expect((await ctx.instance.runs.finishSteps(batched, batchOf(batched, pa))).map((r) => [r.ready, r.remaining])).toEqual(Array.from({ length: 6 }, () => [[], 5]));
      expect(await written(ctx.instance, batched, pa)).toEqual(after);
    });

    it('releases shared children exactly once and lets a tailer miss nothing when batches over overlapping steps commit concurrently', async () => {
      // Rounds with a failing parent (statement per step) and without (one statement per batch).
      for (const failing of ['p4', null, 'p4', null]) {
        const p = fresh('batches');
        const k = (name: string) => `${p}/${name}`;
        // Layer one (p0..p11), each child of layer two joins two parents that land in different batches.
        const parents = Array.from({ length: 12 }, (_, i) => `p${i}`);
        const children = Object.fromEntries(parents.map((_, i) => [`c${i}`, [`p${i}`, `p${(i * 5 + 7) % 12}`]]));
        const run = newRun(graph(p, { ...Object.fromEntries(parents.map((name) => [name, []])), ...children }));
        await ctx.instance.runs.createRun(run);
        await Promise.all(parents.map((name) => ctx.instance.runs.startStep(run.id, k(name), 1, at(1), 'w')));

        const seen: number[] = [];
        const poll = async () => {
          for (const event of await ctx.instance.eventLog.listEvents(run.id, { afterId: seen.at(-1) ?? 0 })) seen.push(event.id);
        };
        let writing = true;
        const reader = (async () => {
          while (writing) await poll();
        })();
        // Three "workers", each with a batch of four parents, one failing or none (its children are skipped).
        const batches = [0, 1, 2].map((w) => parents.filter((_, i) => i % 3 === w));
        const results = await Promise.all(
          batches.map((batch) => ctx.instance.runs.finishSteps(run.id, batch.map((name) => ({ stepKey: k(name), outcome: name === failing ? failed() : succeeded() })))),
        );
        writing = false;
        await reader;
        await poll();

        const all = (await ctx.instance.eventLog.listEvents(run.id)).map((event) => event.id);
        expect(seen).toEqual(all);
        const steps = await ctx.instance.runs.listSteps(run.id);
        const ready = results.flat().flatMap((r) => r.ready).sort();
        const pending = steps.filter((s) => s.status === 'PENDING').map((s) => s.key).sort();
        // Every child not skipped was released once, by the batch whose parent was its last.
        expect(ready).toEqual(pending);
        expect(new Set(ready).size).toBe(ready.length);
        expect(steps.filter((s) => s.status === 'SKIPPED').map((s) => s.key).sort()).toEqual(failing ? [k('c4'), k('c9')].sort() : []);
        expect(await ctx.instance.runs.unfinishedStepCount(run.id)).toBe(pending.length);
        expect(results.flat().filter((r) => r.remaining === pending.length)).toHaveLength(1);
      }
    });
  });
}
