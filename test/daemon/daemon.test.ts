import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineAsset } from '../../src/core/asset/define-asset.js';
import { Redactor } from '../../src/core/redactor.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { InProcessLauncher } from '../../src/execution/in-process/in-process-launcher.js';
import { launchRun } from '../../src/execution/launch-run.js';
import { ResourceCache } from '../../src/execution/resource-cache.js';
import type { Instance } from '../../src/storage/instance.js';
import { openInstance } from '../../src/storage/index.js';
import { graphOf } from '../fixtures/graph.js';

let instance: Instance;
beforeAll(async () => {
  instance = await openInstance({ kind: 'pglite', dataDir: undefined });
});
afterAll(() => instance.close());

describe('daemon (embedded, in-process launcher)', () => {
  it('starts queued runs within a tag limit, says why the others wait, and finishes them all', async () => {
    let running = 0;
    let peak = 0;
    const graph = graphOf([
      defineAsset({
        key: 'promote',
        materialize: async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, 80));
          running--;
        },
      }),
    ]);
    const host = { instance, graph, resources: new ResourceCache({}), redactor: new Redactor([]), worker: 'daemon-test', logLevel: 'info' as const, now: () => new Date(), random: () => 0.5 };
    const daemon = new Daemon(instance, new InProcessLauncher(host), {
      limits: { tagLimits: [{ key: 'pipeline', value: 'promotion', limit: 1 }] },
      queueIntervalMs: 20,
      monitorIntervalMs: 50,
    });
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await launchRun({ instance, graph }, { selection: '*', tags: { pipeline: 'promotion' }, trigger: 'test', now: new Date() }));
    const reasons = new Set<string>();
    await daemon.start();
    try {
      for (;;) {
        const all = await Promise.all(runs.map((r) => instance.runs.getRun(r.id)));
        for (const r of all) if (r?.queueReason) reasons.add(r.queueReason);
        if (all.every((r) => r?.status === 'SUCCESS' || r?.status === 'FAILURE')) break;
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      await daemon.stop();
    }
    expect(await Promise.all(runs.map(async (r) => (await instance.runs.getRun(r.id))!.status))).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
    expect(peak).toBe(1);
    expect([...reasons]).toEqual(['waiting for tag limit pipeline=promotion (at most 1 at once)']);
    for (const r of runs) expect((await instance.runs.getRun(r.id))!.queueReason).toBeNull();
    expect(daemon.errors()).toEqual([]);
    expect(await instance.coordination.listHeartbeats()).toEqual([]);
  });

  it('lets exactly one of two daemons hold the run-queue lease, and only that one starts runs', async () => {
    const graph = graphOf([defineAsset({ key: 'x', materialize: () => {} })]);
    const host = { instance, graph, resources: new ResourceCache({}), redactor: new Redactor([]), worker: 'daemon-test', logLevel: 'info' as const, now: () => new Date(), random: () => 0.5 };
    // Each daemon's launcher notes the runs it was handed; the in-process one executes them.
    const handed = new Map<string, string[]>();
    const launcherFor = (name: string) => {
      const inner = new InProcessLauncher(host);
      handed.set(name, []);
      return Object.assign(Object.create(inner) as InProcessLauncher, {
        start: (runId: string) => {
          handed.get(name)!.push(runId);
          return inner.start(runId);
        },
      });
    };
    const a = new Daemon(instance, launcherFor('a'), { limits: { tagLimits: [] }, queueIntervalMs: 10 });
    const b = new Daemon(instance, launcherFor('b'), { limits: { tagLimits: [] }, queueIntervalMs: 10 });
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await launchRun({ instance, graph }, { selection: '*', trigger: 'test', now: new Date() }));
    await Promise.all([a.start(), b.start()]);
    let holder: string | undefined;
    try {
      for (;;) {
        const all = await Promise.all(runs.map((r) => instance.runs.getRun(r.id)));
        if (all.every((r) => r!.status === 'SUCCESS')) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      holder = (await instance.coordination.getLease('run-queue'))?.holder;
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    const [leader, other] = holder === a.heartbeat.id ? ['a', 'b'] : ['b', 'a'];
    expect([a.heartbeat.id, b.heartbeat.id]).toContain(holder);
    expect(handed.get(leader)!.sort()).toEqual(runs.map((r) => r.id).sort());
    expect(handed.get(other)).toEqual([]);
  });
});
