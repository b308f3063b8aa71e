import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor } from '../../src/core/redactor.js';
import { defineSensor, type SensorDefinition } from '../../src/core/sensor/sensor-definition.js';
import { onAssetEvents, onRunStatus } from '../../src/core/sensor/sensor-sources.js';
import type { AssetGraph } from '../../src/core/graph/asset-graph.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { InProcessLauncher } from '../../src/execution/in-process/in-process-launcher.js';
import { ResourceCache } from '../../src/execution/resource-cache.js';
import type { Instance, SensorTickRecord } from '../../src/storage/instance.js';
import { openInstance } from '../../src/storage/index.js';
import { waitFor } from '../faults/fixtures/wait-for.js';
import { graphOf, noop } from '../fixtures/graph.js';
import { assetStep, newRun, succeeded } from '../storage/fixtures.js';

const graph = graphOf([noop('files'), noop('report', ['files']), noop('other')]);
const WAIT = { timeoutMs: 60_000, intervalMs: 25 };

function daemonFor(instance: Instance, g: AssetGraph, sensors: SensorDefinition[], redactor = new Redactor([])): Daemon {
  const resources = new ResourceCache({});
  const host = { instance, graph: g, resources, redactor, worker: 'sensor-test', logLevel: 'silent' as const, now: () => new Date(), random: () => 0.5 };
  return new Daemon(instance, new InProcessLauncher(host), {
    limits: { tagLimits: [] },
    queueIntervalMs: 50,
    monitorIntervalMs: 200,
    redactor,
    sensors: { graph: g, sensors, resources: (map) => resources.resolve(map), pollMs: 25, feedPageSize: 7 },
  });
}

async function ticksOf(instance: Instance, sensor: string): Promise<SensorTickRecord[]> {
  return (await instance.sensors.listSensorTicks(sensor, { limit: 1000 })).reverse();
}

/** Materializes `key` through storage `n` times (one run each), as a step would. */
async function materialize(instance: Instance, key: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const run = newRun([assetStep(key)]);
    await instance.runs.createRun(run);
    await instance.runs.startStep(run.id, key, 1, new Date(), 'w');
    await instance.runs.finishStep(run.id, key, succeeded(1, { materialization: { metadata: { i } } }));
  }
}

describe('sensor loop (a real Daemon on PGlite)', () => {
  let instance: Instance;
  beforeAll(async () => {
    instance = await openInstance({ kind: 'pglite', dataDir: undefined });
  });
  afterAll(() => instance?.close());

  it('launches the runs a sensor requests, once per run key, with its tags, and the run queue executes them', async () => {
    const name = `files_${randomUUID().slice(0, 6)}`;
    const arrived = ['a.csv', 'b.csv'];
    const sensor = defineSensor({
      name,
      minimumIntervalSeconds: 0.05,
      defaultStatus: 'RUNNING',
      select: 'files',
      evaluate: () => ({ runRequests: arrived.map((file) => ({ runKey: file, tags: { file } })), cursor: String(arrived.length) }),
    });
    const daemon = daemonFor(instance, graph, [sensor]);
    await daemon.start();
    try {
      const runs = async () => (await instance.runs.listRuns({ limit: 100, tags: { 'sluice/sensor': name } }));
      await waitFor('two runs done', async () => (await runs()).filter((r) => r.status === 'SUCCESS').length === 2, WAIT);
      arrived.push('c.csv');
      await waitFor('the third run', async () => (await runs()).length === 3, WAIT);
      const skipsAll = (t: SensorTickRecord) => t.status === 'SKIPPED' && t.skippedRunKeys.length === 3;
      await waitFor('a tick that skips all three keys', async () => (await ticksOf(instance, name)).some(skipsAll), WAIT);
      const all = await runs();
      expect(all.map((r) => r.tags['sluice/run_key']).sort()).toEqual(['a.csv', 'b.csv', 'c.csv']);
      expect(all.every((r) => r.trigger === `sensor:${name}` && r.tags.file === r.tags['sluice/run_key'])).toBe(true);
      const ticks = await ticksOf(instance, name);
      expect(ticks.filter((t) => t.status === 'SUCCESS').flatMap((t) => t.runIds).sort()).toEqual(all.map((r) => r.id).sort());
      expect(ticks.find(skipsAll)?.skipReason).toContain('a.csv, b.csv, c.csv');
      expect((await instance.sensors.getSensorState(name))?.cursor).toBe('3');
    } finally {
      await daemon.stop();
    }
    expect(daemon.errors()).toEqual([]);
  });

  it('a sensor that throws records the error (redacted), keeps its cursor and launches nothing; the next tick retries', async () => {
    const name = `flaky_${randomUUID().slice(0, 6)}`;
    const secret = `s3cret-${randomUUID()}`;
    let calls = 0;
    const seen: Array<string | null> = [];
    const sensor = defineSensor({
      name,
      minimumIntervalSeconds: 0.05,
      select: 'files',
      evaluate: (ctx) => {
        seen.push(ctx.cursor);
        calls++;
        if (calls <= 2) throw new Error(`cannot list the bucket with key ${secret}`);
        return { cursor: 'after', skipReason: 'nothing new' };
      },
    });
    await instance.sensors.setSensorStatus(name, 'RUNNING', new Date());
    await instance.sensors.setSensorCursor(name, 'before', 'RUNNING', new Date());
    const daemon = daemonFor(instance, graph, [sensor], new Redactor([secret]));
    await daemon.start();
    try {
      await waitFor('a tick after the failures', async () => (await ticksOf(instance, name)).length >= 3, WAIT);
    } finally {
      await daemon.stop();
    }
    const [first, second, third] = await ticksOf(instance, name);
    expect([first, second].map((t) => [t!.status, t!.cursorBefore, t!.cursorAfter, t!.runIds.length])).toEqual([
      ['FAILURE', 'before', 'before', 0],
      ['FAILURE', 'before', 'before', 0],
    ]);
    expect(first!.error?.message).toContain('cannot list the bucket');
    expect(JSON.stringify([first, second])).not.toContain(secret);
    expect(third).toMatchObject({ status: 'SKIPPED', cursorBefore: 'before', cursorAfter: 'after', skipReason: 'nothing new' });
    expect(seen.slice(0, 3)).toEqual(['before', 'before', 'before']);
  });

  it('a sensor past its timeout is aborted (its signal fires) and recorded as a FAILURE; its cursor stays', async () => {
    const name = `slow_${randomUUID().slice(0, 6)}`;
    let aborted: unknown;
    const sensor = defineSensor({
      name,
      minimumIntervalSeconds: 30,
      timeoutSeconds: 0.3,
      defaultStatus: 'RUNNING',
      select: 'files',
      evaluate: (ctx) =>
        new Promise(() => {
          ctx.signal.addEventListener('abort', () => (aborted = ctx.signal.reason));
        }),
    });
    const daemon = daemonFor(instance, graph, [sensor]);
    await daemon.start();
    try {
      await waitFor('the timed-out tick', async () => (await ticksOf(instance, name)).length === 1, WAIT);
    } finally {
      await daemon.stop();
    }
    const [tick] = await ticksOf(instance, name);
    expect(tick).toMatchObject({ status: 'FAILURE', cursorBefore: null, cursorAfter: null, runIds: [] });
    expect(tick!.error).toMatchObject({ code: 'SENSOR_TIMEOUT' });
    expect(tick!.error?.message).toContain('timeoutSeconds');
    expect((aborted as { code?: string })?.code).toBe('SENSOR_TIMEOUT');
  });

  it('a daemon stopping mid-evaluation gives the claim back and records no tick, even when the sensor ignores its signal', async () => {
    const name = `stuck_${randomUUID().slice(0, 6)}`;
    let started = false;
    const sensor = defineSensor({
      name,
      timeoutSeconds: 3600,
      defaultStatus: 'RUNNING',
      select: 'files',
      evaluate: () => {
        started = true;
        return new Promise(() => {});
      },
    });
    const daemon = daemonFor(instance, graph, [sensor]);
    await daemon.start();
    await waitFor('the evaluation to start', () => started, WAIT);
    expect((await instance.sensors.getSensorState(name))?.claimedBy).toBe(daemon.heartbeat.id);
    await daemon.stop();
    expect(await instance.sensors.getSensorState(name)).toMatchObject({ claimedBy: null, lastTickAt: null });
    expect(await ticksOf(instance, name)).toEqual([]);
  });

  it('an asset sensor sees every materialization made between two ticks, in order, across pages', async () => {
    const key = `files_${randomUUID().slice(0, 6)}`;
    const g = graphOf([noop(key), noop('other')]);
    const name = `on_${key}`;
    const batches: number[][] = [];
    const sensor = onAssetEvents({
      name,
      assets: key,
      minimumIntervalSeconds: 0.05,
      evaluate: (_ctx, events) => {
        batches.push(events.map((e) => e.metadata.i as number));
        return { runRequests: events.map((e) => ({ runKey: String(e.id), select: 'other' })) };
      },
    });
    await materialize(instance, key, 3);
    await instance.sensors.setSensorStatus(name, 'RUNNING', new Date());
    const daemon = daemonFor(instance, g, [sensor]);
    await daemon.start();
    try {
      await waitFor('the first three', async () => batches.flat().length === 3, WAIT);
      await instance.sensors.setSensorStatus(name, 'STOPPED', new Date());
      await materialize(instance, key, 50);
      await materialize(instance, 'other', 2);
      await instance.sensors.setSensorStatus(name, 'RUNNING', new Date());
      await waitFor('all 53', async () => batches.flat().length === 53 && (await ticksOf(instance, name)).at(-1)?.cursorAfter, WAIT);
    } finally {
      await daemon.stop();
    }
    const seen = batches.flat();
    expect(seen).toEqual([0, 1, 2, ...Array.from({ length: 50 }, (_, i) => i)]);
    // Pages of 7: the 50 came in pages within one tick.
    expect(batches.slice(1).every((b) => b.length <= 7)).toBe(true);
    const ticks = (await ticksOf(instance, name)).filter((t) => t.status === 'SUCCESS');
    expect(ticks.flatMap((t) => t.runIds)).toHaveLength(53);
    const lastEvent = (await instance.sensors.assetEventsAfter({ afterId: 0, assetKeys: [key], includeChecks: false, limit: 1000 })).at(-1)!;
    // The cursor is past the last event fed (and past later events of other assets it scanned).
    expect((JSON.parse((await instance.sensors.getSensorState(name))!.cursor!) as { id: number }).id).toBeGreaterThanOrEqual(lastEvent.id);
  });

  it('a run-status sensor works through the whole backlog of failures, only of runs that touch its selection', async () => {
    const watched = `w_${randomUUID().slice(0, 6)}`;
    const other = `o_${randomUUID().slice(0, 6)}`;
    const g = graphOf([noop(watched), noop(other)]);
    const name = `failures_${watched}`;
    const failedOfWatched: string[] = [];
    for (let i = 0; i < 40; i++) {
      const run = newRun([assetStep(i % 2 === 0 ? watched : other)]);
      await instance.runs.createRun(run);
      await instance.runs.setRunStatus(run.id, 'STARTED', new Date());
      await instance.runs.setRunStatus(run.id, i % 4 === 3 ? 'SUCCESS' : 'FAILURE', new Date(), { name: 'E', message: 'x' });
      if (i % 2 === 0 && i % 4 !== 3) failedOfWatched.push(run.id);
    }
    const seen: string[] = [];
    const sensor = onRunStatus({
      name,
      status: ['FAILURE'],
      select: watched,
      defaultStatus: 'RUNNING',
      minimumIntervalSeconds: 0.05,
      evaluate: (_ctx, runs) => {
        seen.push(...runs.map((r) => r.runId));
        return { skipReason: `saw ${runs.length}` };
      },
    });
    const daemon = daemonFor(instance, g, [sensor]);
    await daemon.start();
    try {
      await waitFor('every failure of the watched asset', async () => seen.length >= failedOfWatched.length && (await ticksOf(instance, name)).length > 0, WAIT);
    } finally {
      await daemon.stop();
    }
    expect(seen).toEqual(failedOfWatched);
  });
});

describe('sensor loop: two daemons on one Postgres', () => {
  const url = process.env.SLUICE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `sluice_sensors_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
  const instances: Instance[] = [];
  afterAll(async () => {
    await Promise.all(instances.map((i) => i.close()));
  });

  it('evaluate each tick once: every cursor is evaluated by one daemon, and each tick launches its run once', async () => {
    const evaluations: Array<{ daemon: number; cursor: string | null }> = [];
    const sensorFor = (daemon: number) =>
      defineSensor({
        name: 'counter',
        minimumIntervalSeconds: 0.05,
        defaultStatus: 'RUNNING',
        select: 'files',
        evaluate: async (ctx) => {
          evaluations.push({ daemon, cursor: ctx.cursor });
          await new Promise((r) => setTimeout(r, 20));
          const next = String(Number(ctx.cursor ?? 0) + 1);
          return { runRequests: [{ runKey: next }], cursor: next };
        },
      });
    for (let i = 0; i < 2; i++) instances.push(await openInstance({ kind: 'postgres', connectionString: url, schema }));
    const daemons = instances.map((instance, i) => daemonFor(instance, graph, [sensorFor(i)]));
    await Promise.all(daemons.map((d) => d.start()));
    try {
      await waitFor('12 ticks', async () => (await ticksOf(instances[0]!, 'counter')).length >= 12, WAIT);
    } finally {
      await Promise.all(daemons.map((d) => d.stop()));
    }
    const ticks = await ticksOf(instances[0]!, 'counter');
    const cursors = evaluations.map((e) => e.cursor);
    expect(new Set(cursors).size).toBe(cursors.length);
    expect(ticks.map((t) => t.cursorBefore)).toEqual([null, ...ticks.slice(0, -1).map((t) => t.cursorAfter)]);
    expect(ticks.every((t) => t.status === 'SUCCESS' && t.runIds.length === 1)).toBe(true);
    const runs = await instances[0]!.runs.listRuns({ limit: 1000, tags: { 'sluice/sensor': 'counter' } });
    expect(new Set(runs.map((r) => r.tags['sluice/run_key'])).size).toBe(runs.length);
    expect(runs).toHaveLength(ticks.length);
  });
});
