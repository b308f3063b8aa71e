import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eager } from '../../src/core/automation/built-conditions.js';
import { AutomationLoop, type AutomationTickStats } from '../../src/daemon/automation-loop.js';
import { reportAssetMaterialization } from '../../src/execution/report-asset-event.js';
import type { Instance } from '../../src/storage/instance.js';
import { openInstance } from '../../src/storage/index.js';
import { graphOf, noop } from '../fixtures/graph.js';

const graph = graphOf([noop('a'), noop('b', ['a'], { automation: eager() }), noop('x'), noop('y', ['x'], { automation: eager() })]);

let instance: Instance;
let loop: AutomationLoop;
const ticks: AutomationTickStats[] = [];

async function tick(n: number): Promise<AutomationTickStats> {
  const deadline = Date.now() + 60_000;
  while (ticks.length < n) {
    if (Date.now() > deadline) throw new Error(`tick ${n} did not end: ${JSON.stringify(loop.errors)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return ticks[n - 1]!;
}

beforeAll(async () => {
  instance = await openInstance({ kind: 'pglite', dataDir: undefined });
  for (const key of ['a', 'b', 'x', 'y']) await reportAssetMaterialization({ instance, graph }, { assetKey: key, source: 'test', now: new Date() });
  await instance.automation.setStatus('RUNNING', new Date());
  // A long interval: each tick after the first is woken by the test.
  loop = new AutomationLoop({ instance, graph, holder: 'carry-test', now: () => new Date(), intervalMs: 3_600_000, onEvaluated: (s) => ticks.push(s) });
  loop.start();
});
afterAll(async () => {
  await loop?.stop();
  await instance?.close();
});

describe('the automation loop carries over what did not change (PGlite)', () => {
  it('evaluates only the asset downstream of a new materialization, keeps the other one tree as last saved, and launches the one run', async () => {
    expect(await tick(1)).toMatchObject({ loaded: true, evaluated: 2, carried: 0, stored: 2 });
    loop.wake();
    // The first evaluation was initial: the second evaluates everything again, and both settle.
    expect(await tick(2)).toMatchObject({ loaded: false, evaluated: 2, carried: 0 });
    const yBefore = await instance.automation.latestAssetEvaluation('y');

    await reportAssetMaterialization({ instance, graph }, { assetKey: 'a', source: 'test', now: new Date() });
    loop.wake();
    expect(await tick(3)).toMatchObject({ evaluated: 1, carried: 1, stored: 1 });
    const runs = await instance.runs.listRuns({ limit: 20 });
    expect(runs.filter((r) => r.trigger === 'automation').map((r) => r.selection)).toEqual(['key:b']);
    // y's why-tree is the one of the evaluation that last changed it: nothing it reads changed since.
    expect(await instance.automation.latestAssetEvaluation('y')).toEqual(yBefore);
    expect((await instance.automation.latestAssetEvaluation('b'))!.requested).toEqual(['']);

    // b's run is queued (in progress): b is evaluated again, y still carried over.
    loop.wake();
    expect(await tick(4)).toMatchObject({ evaluated: 1, carried: 1 });
  });
});
