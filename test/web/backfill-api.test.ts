import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineAsset } from '../../src/core/asset/define-asset.js';
import { dailyPartitions } from '../../src/core/partitions/partitions-definition.js';
import { Redactor } from '../../src/core/redactor.js';
import { InProcessExecutor } from '../../src/execution/in-process/in-process-executor.js';
import { InProcessLauncher } from '../../src/execution/in-process/in-process-launcher.js';
import { ResourceCache } from '../../src/execution/resource-cache.js';
import type { StepRunnerContext } from '../../src/execution/step-runner.js';
import type { Instance } from '../../src/storage/instance.js';
import { openInstance } from '../../src/storage/index.js';
import { startApiServer } from '../../src/web/api-server.js';
import { SluiceMetrics } from '../../src/web/metrics.js';
import { graphOf, noop } from '../fixtures/graph.js';
import { withRuns } from '../fixtures/served-api.js';


const TOKEN = 'test-token-backfills-0123';
let instance: Instance;
let server: Server;
let url: string;
let host: StepRunnerContext;
let launcher: InProcessLauncher;
/** Runs the API announced; nothing starts them here, so a backfill's runs stay QUEUED until a test executes one. */
const queued: string[] = [];

beforeAll(async () => {
  instance = await openInstance({ kind: 'pglite', dataDir: undefined });
  const graph = graphOf([defineAsset({ key: 'raw/events', partitions: dailyPartitions({ start: '2024-10-01' }), materialize: () => ({ metadata: { rows: 1 } }) }), noop('plain')]);
  host = { instance, graph, resources: new ResourceCache({}), redactor: new Redactor([]), worker: 'api-test', logLevel: 'info', now: () => new Date(), random: () => 0.5 };
  launcher = new InProcessLauncher(host);
  ({ server, url } = await startApiServer(withRuns({ instance, graph, launcher, token: TOKEN, onQueued: (runId) => queued.push(runId) }), '127.0.0.1', 0));
});
afterAll(async () => {
  server.close();
  await launcher.close();
  await instance.close();
});

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe('backfills and partitions API', () => {
  it('launches a backfill (waking the run queue once), reports per-partition progress, and cancels it', async () => {
    const launched = await api('POST', '/api/backfills', { selection: 'key:raw/events', from: '2024-10-01', to: '2024-10-03', maxConcurrentRuns: 2, tags: { team: 'x' }, trigger: 'cli' });
    expect(launched.status).toBe(201);
    expect(launched.body).toMatchObject({ status: 'RUNNING', partitions: 3, runs: 3 });
    const id = launched.body.backfillId as string;
    const show = await api('GET', `/api/backfills/${id}`);
    expect(show.body).toMatchObject({ backfillId: id, status: 'RUNNING', policy: 'per-partition', maxConcurrentRuns: 2, trigger: 'cli', tags: { team: 'x' }, partitionCount: 3 });
    expect(queued).toEqual([show.body.partitions[0].runId]);

    await new InProcessExecutor(host).execute(show.body.partitions[0].runId, new AbortController().signal);
    const progress = (await api('GET', `/api/backfills/${id}`)).body;
    expect(progress.counts).toEqual({ done: 1, failed: 0, running: 0, queued: 2, canceled: 0 });
    expect(progress.partitions.map((p: { key: string; state: string }) => `${p.key}:${p.state}`)).toEqual(['2024-10-01:done', '2024-10-02:queued', '2024-10-03:queued']);
    // Its runs once each, in partition order, with the state the page shows (the page derives nothing).
    expect(progress.runs).toEqual(progress.partitions.map((p: { key: string; state: string; runId: string }) => ({ runId: p.runId, partition: p.key, state: p.state })));
    expect(runIds(await api('GET', `/api/runs?backfill=${id}&limit=10`)).sort()).toEqual(progress.partitions.map((p: { runId: string }) => p.runId).sort());
    const metrics = await new SluiceMetrics({ instance, heartbeatTimeoutMs: 15_000 }).text();
    expect(metrics).toContain(`sluice_backfill_partitions{backfill="${id}",state="queued"} 2`);
    expect(metrics).toContain(`sluice_backfill_partitions{backfill="${id}",state="done"} 1`);

    const list = await api('GET', '/api/backfills?status=running&limit=5');
    expect(list.body.backfills.map((b: { backfillId: string }) => b.backfillId)).toEqual([id]);
    expect(list.body.backfills[0].counts.done).toBe(1);

    const canceled = await api('POST', `/api/backfills/${id}/cancel`);
    expect(canceled).toEqual({ status: 200, body: { backfillId: id, status: 'CANCELED' } });
    expect((await api('GET', `/api/backfills/${id}`)).body.counts).toEqual({ done: 1, failed: 0, running: 0, queued: 0, canceled: 2 });
    expect((await api('GET', '/api/backfills?status=running')).body.backfills).toEqual([]);
  });

  it('records the named config version on every run of a backfill launched with configName', async () => {
    // A stored config may name assets outside the selection: only the selected ones' entries apply.
    await instance.configs.putRunConfig('events', { plain: {} }, new Date());
    const launched = await api('POST', '/api/backfills', { selection: 'key:raw/events', from: '2024-10-05', to: '2024-10-06', configName: 'events' });
    expect(launched.status, JSON.stringify(launched.body)).toBe(201);
    const runs = await instance.backfills.listBackfillRuns(launched.body.backfillId);
    for (const run of runs) expect((await instance.runs.getRun(run.runId))?.configRef).toEqual({ name: 'events', version: 1 });
    await api('POST', `/api/backfills/${launched.body.backfillId}/cancel`);
  });

  it('answers bad backfill input with 400 naming the field, unknown backfills with 404', async () => {
    expect((await api('POST', '/api/backfills', { selection: 'key:raw/events', from: '2024-10-01' })).body.error).toEqual({ code: 'INVALID_REQUEST', message: 'body needs "to": a partition key' });
    const policy = await api('POST', '/api/backfills', { selection: 'key:raw/events', from: '2024-10-01', to: '2024-10-02', policy: 'weekly' });
    expect(policy.status).toBe(400);
    expect(policy.body.error.message).toContain('policy "weekly"');
    const mixed = await api('POST', '/api/backfills', { selection: '*', from: '2024-10-01', to: '2024-10-02' });
    expect(mixed.body.error.code).toBe('UNPARTITIONED_SELECTION');
    expect((await api('GET', '/api/backfills?status=done')).status).toBe(400);
    expect((await api('GET', '/api/backfills/nope')).status).toBe(404);
    expect((await api('POST', '/api/backfills/nope/cancel')).body.error.code).toBe('UNKNOWN_BACKFILL');
  });

  it('launches a run of one partition and serves the asset partitions, newest first, with their runs', async () => {
    const launched = await api('POST', '/api/runs', { selection: 'key:raw/events', partition: '2024-10-05' });
    expect(launched.status).toBe(201);
    await new InProcessExecutor(host).execute(launched.body.runId, new AbortController().signal);
    expect((await api('GET', `/api/runs/${launched.body.runId}`)).body.tags).toEqual({ 'sluice/partition': '2024-10-05' });
    expect((await api('POST', '/api/runs', { selection: 'key:raw/events', partition: '2024-13-01' })).status).toBe(400);

    const view = (await api('GET', `/api/assets/${encodeURIComponent('raw/events')}/partitions`)).body;
    expect(view).toMatchObject({ asset: 'raw/events', partitionsDefinition: 'daily from 2024-10-01 (UTC)', stale: 0 });
    expect(view.partitions[0].key > view.partitions.at(-1).key).toBe(true);
    expect(view.partitions.at(-1).key).toBe('2024-10-01');
    const fifth = view.partitions.find((p: { key: string }) => p.key === '2024-10-05');
    expect(fifth).toMatchObject({ status: 'materialized', stale: false, runId: launched.body.runId });
    expect(view.partitions.find((p: { key: string }) => p.key === '2024-10-04')).toMatchObject({ status: 'missing', runId: null, at: null });
    expect(view.counts.materialized).toBe(2);
    expect(view.counts.missing).toBe(view.partitions.length - 2);

    expect((await api('GET', '/api/assets/raw%2Fevnts/partitions')).body.error.message).toContain('did you mean "raw/events"');
    expect((await api('GET', '/api/assets/plain/partitions')).body.error.code).toBe('UNPARTITIONED_ASSET');

    const assets = (await api('GET', '/api/assets?status=true')).body.assets;
    expect(assets.find((a: { key: string }) => a.key === 'raw/events')).toMatchObject({ status: 'missing', partitions: { fresh: 2 } });
    expect(assets.find((a: { key: string }) => a.key === 'plain')).toMatchObject({ status: 'missing', statusReason: 'never materialized', partitions: null });
  });

  it('backfills only the missing partitions of a range with onlyMissing, and refuses when none is missing', async () => {
    const first = await api('POST', '/api/runs', { selection: 'key:raw/events', partition: '2024-10-21' });
    await new InProcessExecutor(host).execute(first.body.runId, new AbortController().signal);
    const launched = await api('POST', '/api/backfills', { selection: 'key:raw/events', from: '2024-10-20', to: '2024-10-22', onlyMissing: true, trigger: 'web' });
    expect(launched.status).toBe(201);
    const show = (await api('GET', `/api/backfills/${launched.body.backfillId}`)).body;
    expect(show.partitions.map((p: { key: string }) => p.key)).toEqual(['2024-10-20', '2024-10-22']);
    await api('POST', `/api/backfills/${launched.body.backfillId}/cancel`);

    const none = await api('POST', '/api/backfills', { selection: 'key:raw/events', from: '2024-10-21', to: '2024-10-21', onlyMissing: true });
    expect(none.status).toBe(400);
    expect(none.body.error).toMatchObject({ code: 'NOTHING_TO_BACKFILL' });
    expect(none.body.error.message).toContain('--only-missing: no partition from 2024-10-21 to 2024-10-21');
    expect((await api('POST', '/api/backfills', { selection: 'key:raw/events', from: '2024-10-20', to: '2024-10-22', onlyMissing: 'yes' })).body.error.message).toBe('"onlyMissing" must be true or false');
  });

  it('says in the launch preview which selected assets are partitioned, how, and the latest key', async () => {
    const preview = (await api('POST', '/api/launch/preview', { selection: '*' })).body;
    expect(preview.partitions).toMatchObject({ keys: ['raw/events'], definition: 'daily from 2024-10-01 (UTC)' });
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    expect([yesterday, new Date().toISOString().slice(0, 10)]).toContain(preview.partitions.latest);
    expect((await api('POST', '/api/launch/preview', { selection: 'key:plain' })).body.partitions).toBeNull();
    expect((await api('GET', '/api/assets/raw%2Fevents')).body.partitionsDefinition).toBe('daily from 2024-10-01 (UTC)');
    expect((await api('GET', '/api/assets/plain')).body.partitionsDefinition).toBeNull();
  });
});

/** The run ids of a `GET /api/runs` answer. */
function runIds(res: { body: { runs: Array<{ runId: string }> } }): string[] {
  return res.body.runs.map((r) => r.runId);
}
