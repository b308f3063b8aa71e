import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineAsset } from '../../src/core/asset/define-asset.js';
import type { NewEvent } from '../../src/core/events.js';
import type { AssetGraph } from '../../src/core/graph/asset-graph.js';
import { dailyPartitions } from '../../src/core/partitions/partitions-definition.js';
import { Redactor } from '../../src/core/redactor.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { InProcessLauncher } from '../../src/execution/in-process/in-process-launcher.js';
import { ResourceCache } from '../../src/execution/resource-cache.js';
import type { StepRunnerContext } from '../../src/execution/step-runner.js';
import { InProcessRunService } from '../../src/runtime/in-process-run-service.js';
import { RemoteRunService } from '../../src/runtime/remote-run-service.js';
import type { RunService } from '../../src/runtime/run-service.js';
import { servedRunService, StoreRunService } from '../../src/runtime/store-run-service.js';
import type { Instance } from '../../src/storage/instance.js';
import { openInstance } from '../../src/storage/index.js';
import { startApiServer } from '../../src/web/api-server.js';
import { bullmqCluster, type BullmqCluster } from '../fixtures/bullmq-cluster.js';
import { graphOf } from '../fixtures/graph.js';
import { dropSchema, freshSchema, openTestPostgres } from '../fixtures/services.js';

/**
 * The RunService contract: the same launches, waits, cancels, re-executions and backfills behave
 * the same whichever implementation executes them (in this process, the embedded daemon's API,
 * BullMQ workers started by a daemon's run queue).
 */

/** Fails on its first call per process unless `flaky` is off; then succeeds. */
let failuresLeft = 0;
function assets() {
  const raw = defineAsset({ key: 'raw', materialize: async () => ({ metadata: { rows: 1 } }) });
  const flaky = defineAsset({
    key: 'flaky',
    deps: ['raw'],
    materialize: async () => {
      if (failuresLeft > 0) {
        failuresLeft--;
        throw new Error('flaky failed on purpose');
      }
      return { metadata: { ok: true } };
    },
  });
  const slow = defineAsset({
    key: 'slow',
    materialize: (ctx) =>
      new Promise((resolve, reject) => {
        if (ctx.signal.aborted) return reject(new Error('aborted'));
        const timer = setTimeout(() => resolve({}), 60_000);
        ctx.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new Error('aborted'));
        });
      }),
  });
  const daily = defineAsset({ key: 'daily', partitions: dailyPartitions({ start: '2024-01-01', timezone: 'UTC' }), materialize: async () => ({}) });
  return [raw, flaky, slow, daily];
}

function hostOf(instance: Instance, graph: AssetGraph, onEvent?: (event: NewEvent) => void): StepRunnerContext {
  return {
    instance,
    graph,
    resources: new ResourceCache({}),
    redactor: new Redactor([]),
    worker: 'test-worker',
    logLevel: 'info',
    now: () => new Date(),
    random: () => 0.5,
    logFlushMs: 20,
    ...(onEvent ? { onEvent } : {}),
  };
}

interface Subject {
  readonly service: RunService;
  close(): Promise<void>;
}

/** This process executes (the embedded default without a daemon). */
async function inProcess(): Promise<Subject> {
  const instance = await openInstance({ kind: 'pglite', dataDir: undefined });
  const graph = graphOf(assets());
  const service = new InProcessRunService({ instance, graph: () => graph, stepHost: ({ onEvent }) => hostOf(instance, graph, onEvent) });
  return { service, close: () => instance.close() };
}

/** A daemon holds the store and executes; the service talks to its API. */
async function throughDaemonApi(): Promise<Subject> {
  const instance = await openInstance({ kind: 'pglite', dataDir: undefined });
  const graph = graphOf(assets());
  const launcher = new InProcessLauncher(hostOf(instance, graph), { concurrency: 4 });
  const daemon = new Daemon(instance, launcher, { limits: { maxConcurrentRuns: 10, tagLimits: [] }, queueIntervalMs: 100 });
  await daemon.start();
  const token = 'a-test-token-of-enough-length';
  const { server, url } = await startApiServer({ instance, graph, runs: servedRunService(instance, () => graph, launcher, () => daemon.wake()), token }, '127.0.0.1', 0);
  return {
    service: new RemoteRunService({ pid: process.pid, url, token }),
    async close() {
      server.close();
      await daemon.stop();
      await launcher.close();
      await instance.close();
    },
  };
}

/** BullMQ workers execute the steps; a daemon's run queue starts the runs the service writes. */
async function onBullmq(): Promise<Subject> {
  const schema = freshSchema();
  const instance = await openTestPostgres(schema);
  const list = assets();
  const cluster: BullmqCluster = await bullmqCluster(instance, list);
  const graph = graphOf(list);
  const daemon = new Daemon(instance, cluster.launcher, { limits: { maxConcurrentRuns: 10, tagLimits: [] }, queueIntervalMs: 100 });
  await daemon.start();
  const service = new StoreRunService({ instance, executor: 'bullmq', graph: () => graph, onQueued: () => daemon.wake(), cancel: (runId) => cluster.launcher.cancel(runId) });
  return {
    service,
    async close() {
      await daemon.stop();
      await cluster.close();
      await instance.close();
      await dropSchema(schema);
    },
  };
}

describe.each([
  ['in-process', inProcess],
  ['the embedded daemon API', throughDaemonApi],
  ['BullMQ', onBullmq],
])('RunService contract: %s', (_name, open) => {
  let subject: Subject;
  beforeAll(async () => {
    subject = await open();
  }, 60_000);
  afterAll(async () => {
    await subject?.close();
  });

  it('launches a run, hands every event to the waiter in order, and ends with the summary', async () => {
    const { service } = subject;
    const launched = await service.launchRun({ selection: 'key:raw', trigger: 'cli', tags: { team: 'data' } });
    expect(launched).toMatchObject({ status: 'QUEUED', steps: 1, executor: service.executor });
    const types: string[] = [];
    const summary = await service.awaitRun(launched.runId, { onEvent: (e) => types.push(e.type) });
    expect(summary).toMatchObject({ runId: launched.runId, status: 'SUCCESS', tags: { team: 'data' } });
    expect(types.indexOf('STEP_STARTED')).toBeLessThan(types.indexOf('MATERIALIZATION'));
    expect(types.at(-1)).toBe('RUN_SUCCESS');
    expect((await service.listRuns({ limit: 10 })).map((r) => r.runId)).toContain(launched.runId);
  });

  it('cancels the run it waits for when the signal aborts; a run that ended cannot be canceled', async () => {
    const { service } = subject;
    const launched = await service.launchRun({ selection: 'key:slow', trigger: 'cli' });
    const abort = new AbortController();
    const summary = await service.awaitRun(launched.runId, {
      onEvent: (e) => {
        if (e.type === 'STEP_STARTED') abort.abort();
      },
      signal: abort.signal,
    });
    expect(summary.status).toBe('CANCELED');
    await expect(service.cancelRun(launched.runId)).rejects.toMatchObject({ code: 'RUN_ALREADY_ENDED' });
  });

  it('re-executes what a failed run did not finish, tagged with its parent', async () => {
    const { service } = subject;
    failuresLeft = 1;
    const failed = await service.launchRun({ selection: 'key:raw or key:flaky', trigger: 'cli' });
    expect((await service.awaitRun(failed.runId)).status).toBe('FAILURE');
    const again = await service.reexecuteRun(failed.runId, 'cli');
    expect(again).toMatchObject({ parentRunId: failed.runId, selection: 'key:flaky', steps: 1 });
    const summary = await service.awaitRun(again.runId);
    expect(summary.status).toBe('SUCCESS');
    expect(summary.tags['sluice/parent_run_id']).toBe(failed.runId);
    await expect(service.reexecuteRun(again.runId, 'cli')).rejects.toMatchObject({ code: 'NOT_REEXECUTABLE' });
  });

  it('launches a backfill and waits for each of its runs, reporting every one as it ends', async () => {
    const { service } = subject;
    const launched = await service.launchBackfill({ selection: 'key:daily', from: '2024-01-01', to: '2024-01-03', trigger: 'cli', maxConcurrentRuns: 2 });
    expect(launched).toMatchObject({ partitions: 3, runs: 3, executor: service.executor });
    const ended: string[] = [];
    const awaited = await service.awaitBackfill(launched.backfillId, { onRunEnded: (run) => ended.push(...run.partitions) });
    expect(awaited.interrupted).toBeUndefined();
    expect(awaited.summary.counts).toMatchObject({ done: 3, failed: 0, queued: 0, running: 0 });
    expect(ended.sort()).toEqual(['2024-01-01', '2024-01-02', '2024-01-03']);
  });

  it('says what is unknown: a run, a backfill', async () => {
    const { service } = subject;
    await expect(service.cancelRun('no-such-run')).rejects.toMatchObject({ code: 'UNKNOWN_RUN' });
    await expect(service.cancelBackfill('no-such-backfill')).rejects.toMatchObject({ code: 'UNKNOWN_BACKFILL' });
  });
});
