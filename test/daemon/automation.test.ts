import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eager } from '../../src/core/automation/built-conditions.js';
import { formatEvaluationTree } from '../../src/core/automation/format-evaluation-tree.js';
import { Redactor } from '../../src/core/redactor.js';
import { AUTOMATION_TAG } from '../../src/core/run/system-tags.js';
import { previewAutomation } from '../../src/daemon/automation-pass.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { InProcessLauncher } from '../../src/execution/in-process/in-process-launcher.js';
import { launchRun } from '../../src/execution/launch-run.js';
import { ResourceCache } from '../../src/execution/resource-cache.js';
import type { Instance } from '../../src/storage/instance.js';
import { openInstance } from '../../src/storage/index.js';
import { graphOf, noop } from '../fixtures/graph.js';

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let instance: Instance;
let daemon: Daemon;
const graph = graphOf([noop('a'), noop('b', ['a'], { automation: eager() }), noop('c', ['b'], { automation: eager() })]);

beforeAll(async () => {
  instance = await openInstance({ kind: 'pglite', dataDir: undefined });
  const host = { instance, graph, resources: new ResourceCache({}), redactor: new Redactor([]), worker: 'automation-test', logLevel: 'silent' as const, now: () => new Date(), random: () => 0.5 };
  daemon = new Daemon(instance, new InProcessLauncher(host), { limits: { tagLimits: [] }, queueIntervalMs: 20, monitorIntervalMs: 200, automationIntervalMs: 50, scheduler: { graph, schedules: [] } });
  await daemon.start();
});
afterAll(async () => {
  await daemon?.stop();
  await instance?.close();
});

const automationRuns = async () => (await instance.runs.listRuns({ limit: 100 })).filter((run) => run.tags[AUTOMATION_TAG] === 'true');

describe('the automation loop (real daemon, PGlite)', () => {
  it('off launches nothing; preview shows what would launch; on, it launches b and c together in one run, once; why explains', async () => {
    // On: the first evaluation is the initial one (eager requests nothing then) and saves a cursor.
    await instance.automation.setStatus('RUNNING', new Date());
    await until('a first evaluation', async () => (await instance.automation.listEvaluations(1)).length > 0);
    expect((await previewAutomation(instance, graph, new Date())).launches).toEqual([]);

    // Off: a is materialized by hand; nothing is launched, however long the loop goes on.
    await instance.automation.setStatus('STOPPED', new Date());
    const evaluations = (await instance.automation.listEvaluations(100)).length;
    const manual = await launchRun({ instance, graph }, { selection: 'key:a', trigger: 'test', now: new Date() });
    daemon.wake();
    await until('a materialized', async () => (await instance.runs.getRun(manual.id))?.status === 'SUCCESS');
    await new Promise((r) => setTimeout(r, 500));
    expect(await automationRuns()).toEqual([]);
    expect((await instance.automation.listEvaluations(100)).length).toBe(evaluations);

    // Preview: one run of b and c (c counts b as will-be-requested), nothing saved.
    const preview = await previewAutomation(instance, graph, new Date());
    expect(preview.launches).toEqual([{ kind: 'run', assets: ['b', 'c'], partition: null }]);
    expect([...preview.evaluation.requested.keys()]).toEqual(['b', 'c']);

    // On again: exactly that run, which materializes b then c; later evaluations launch nothing more.
    await instance.automation.setStatus('RUNNING', new Date());
    const [run] = await until('an automation run', async () => {
      const runs = await automationRuns();
      return runs.length > 0 && runs;
    });
    await until('the automation run to finish', async () => (await instance.runs.getRun(run!.id))?.status === 'SUCCESS');
    expect((await instance.runs.listSteps(run!.id)).map((s) => s.assetKey)).toEqual(['b', 'c']);
    const after = (await instance.automation.listEvaluations(1))[0]!.id;
    await until('two more evaluations', async () => (await instance.automation.listEvaluations(1))[0]!.id >= after + 2);
    expect((await automationRuns()).map((r) => r.id)).toEqual([run!.id]);
    expect((await instance.automation.listEvaluations(100)).filter((e) => e.runIds.length > 0).map((e) => e.runIds)).toEqual([[run!.id]]);

    // Why: c's latest tree says eager is false now, because its request was handled.
    const why = await instance.automation.latestAssetEvaluation('c');
    const lines = formatEvaluationTree(why!.tree!);
    expect(lines[0]).toBe('- eager: false');
    expect(lines).toContain('  - since_last_handled: false');
    expect(daemon.errors()).toEqual([]);
  });
});
