import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineAsset } from '../../src/core/asset/define-asset.js';
import { Redactor } from '../../src/core/redactor.js';
import { InProcessLauncher } from '../../src/execution/in-process/in-process-launcher.js';
import { ResourceCache } from '../../src/execution/resource-cache.js';
import type { Instance } from '../../src/storage/instance.js';
import { openInstance } from '../../src/storage/index.js';
import { startApiServer } from '../../src/web/api-server.js';
import { graphOf, noop } from '../fixtures/graph.js';
import { withRuns } from '../fixtures/served-api.js';

const TOKEN = 'test-token-0123456789';
let instance: Instance;
let server: Server;
let url: string;
let launcher: InProcessLauncher;
const queued: string[] = [];

beforeAll(async () => {
  instance = await openInstance({ kind: 'pglite', dataDir: undefined });
  const graph = graphOf([
    noop('raw/a', [], { group: 'ingest' }),
    noop('b', ['raw/a']),
    defineAsset({ key: 'slow', materialize: (ctx) => new Promise<void>((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('stopped')))) }),
  ]);
  const host = { instance, graph, resources: new ResourceCache({}), redactor: new Redactor([]), worker: 'api-test', logLevel: 'info' as const, now: () => new Date(), random: () => 0.5 };
  launcher = new InProcessLauncher(host);
  ({ server, url } = await startApiServer(
    withRuns({
      instance,
      graph,
      launcher,
      token: TOKEN,
      onQueued: (runId) => {
        queued.push(runId);
        // What the daemon's run queue does on wake-up.
        void instance.runs.setRunStatus(runId, 'STARTED', new Date()).then(() => launcher.start(runId));
      },
    }),
    '127.0.0.1',
    0,
  ));
});
afterAll(async () => {
  server.close();
  await launcher.close();
  await instance.close();
});

async function api(method: string, path: string, body?: unknown, token: string | null = TOKEN) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function until(runId: string, statuses: string[]) {
  for (;;) {
    const { body } = await api('GET', `/api/runs/${runId}`);
    if (statuses.includes(body.status)) return body;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('JSON API', () => {
  it('answers /healthz without a token and refuses /api without the right one', async () => {
    expect(await api('GET', '/healthz', undefined, null)).toEqual({ status: 200, body: { ok: true } });
    expect((await api('GET', '/api/runs', undefined, null)).status).toBe(401);
    const wrong = await api('GET', '/api/runs', undefined, 'nope');
    expect(wrong).toEqual({ status: 401, body: { error: { code: 'UNAUTHORIZED', message: 'missing or wrong bearer token' } } });
  });

  it('lists assets through the selection syntax', async () => {
    const { status, body } = await api('GET', `/api/assets?select=${encodeURIComponent('key:b+ or group:ingest')}`);
    expect(status).toBe(200);
    expect(body.assets.map((a: { key: string }) => a.key)).toEqual(['b', 'raw/a']);
    const bad = await api('GET', '/api/assets?select=gruop:x');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('SELECTION_SYNTAX');
  });

  it('launches a run, which the daemon executes, and serves its summary and events', async () => {
    const launched = await api('POST', '/api/runs', { selection: '+key:b', tags: { team: 'x' }, trigger: 'cli' });
    expect(launched.status).toBe(201);
    expect(launched.body).toMatchObject({ status: 'QUEUED', steps: 2 });
    expect(queued).toContain(launched.body.runId);
    const summary = await until(launched.body.runId, ['SUCCESS', 'FAILURE']);
    expect(summary).toMatchObject({ status: 'SUCCESS', trigger: 'cli', tags: { team: 'x' } });
    const { body } = await api('GET', `/api/runs/${launched.body.runId}/events?after=0`);
    const types = body.events.map((e: { type: string }) => e.type);
    expect(types[0]).toBe('RUN_QUEUED');
    expect(types.at(-1)).toBe('RUN_SUCCESS');
    const later = await api('GET', `/api/runs/${launched.body.runId}/events?after=${body.events[1].id}`);
    expect(later.body.events).toHaveLength(body.events.length - 2);
    const runs = await api('GET', '/api/runs?status=success&limit=5');
    expect(runs.body.runs.map((r: { runId: string }) => r.runId)).toContain(launched.body.runId);
  });

  it('cancels a running run', async () => {
    const launched = await api('POST', '/api/runs', { selection: 'slow' });
    await until(launched.body.runId, ['STARTED']);
    await new Promise((r) => setTimeout(r, 50));
    const canceled = await api('POST', `/api/runs/${launched.body.runId}/cancel`);
    expect(canceled.status).toBe(200);
    expect((await until(launched.body.runId, ['CANCELED'])).status).toBe('CANCELED');
  });

  it('answers bad input with 400 and the error code, unknown runs with 404', async () => {
    const empty = await api('POST', '/api/runs', { selection: 'group:ingest and not key:raw/a' });
    expect(empty).toEqual({ status: 400, body: { error: { code: 'EMPTY_SELECTION', message: expect.stringContaining('selects no assets') } } });
    expect((await api('POST', '/api/runs', { nope: 1 })).body.error.code).toBe('INVALID_REQUEST');
    expect((await api('GET', '/api/runs/missing')).status).toBe(404);
    expect((await api('GET', '/api/nothing')).status).toBe(404);
  });

  it('serves schedule states: start and stop persist, ticks list latest first, bad bodies are 400', async () => {
    expect((await api('GET', '/api/schedule-states')).body).toEqual({ states: [] });
    const started = await api('POST', '/api/schedule-states/nightly', { status: 'RUNNING' });
    expect(started.status).toBe(200);
    expect(started.body.state).toMatchObject({ name: 'nightly', status: 'RUNNING', cursor: null });
    expect(Date.parse(started.body.state.startedAt)).not.toBeNaN();
    expect((await api('POST', '/api/schedule-states/nightly', { status: 'STOPPED' })).body.state).toMatchObject({ status: 'STOPPED', startedAt: started.body.state.startedAt });
    expect((await api('GET', '/api/schedule-states')).body.states.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([['nightly', 'STOPPED']]);
    expect((await api('POST', '/api/schedule-states/nightly', { status: 'PAUSED' })).status).toBe(400);

    const tick = await instance.schedules.claimTick({ schedule: 'nightly', scheduledFor: new Date('2030-01-01T01:30:00Z'), claimedBy: 'd', at: new Date('2030-01-01T01:30:00.010Z') });
    await instance.schedules.finishTick(tick!.id, { status: 'SKIPPED', reason: 'previous run still STARTED' }, new Date('2030-01-01T01:30:00.020Z'));
    await instance.schedules.claimTick({ schedule: 'nightly', scheduledFor: new Date('2030-01-02T01:30:00Z'), claimedBy: 'd', at: new Date('2030-01-02T01:30:00Z') });
    const ticks = await api('GET', '/api/schedule-states/nightly/ticks?limit=10');
    expect(ticks.body.ticks.map((t: { scheduledFor: string; status: string; reason: string | null }) => [t.scheduledFor, t.status, t.reason])).toEqual([
      ['2030-01-02T01:30:00.000Z', 'STARTED', null],
      ['2030-01-01T01:30:00.000Z', 'SKIPPED', 'previous run still STARTED'],
    ]);
    expect((await api('GET', '/api/schedule-states/nightly/ticks', undefined, null)).status).toBe(401);
  });

  it('stores named configs and launches with configName, resolved by the server; runs list carries step stats', async () => {
    const name = `cfg-${Date.now()}`;
    const plain = await api('POST', `/api/configs/${name}`, { body: { b: { password: 'hunter22' } } });
    expect(plain.status).toBe(400);
    expect(plain.body.error.code).toBe('PLAIN_SECRET_IN_CONFIG');
    const stored = await api('POST', `/api/configs/${name}`, { body: {} });
    expect(stored).toMatchObject({ status: 201, body: { name, version: 1, body: {} } });
    expect((await api('GET', `/api/configs/${name}?version=1`)).body).toEqual(stored.body);
    expect((await api('GET', '/api/configs')).body.configs).toContainEqual({ name, latestVersion: 1, updatedAt: stored.body.createdAt });

    const launched = await api('POST', '/api/runs', { selection: 'key:raw/a', configName: name });
    expect(launched.status).toBe(201);
    await until(launched.body.runId, ['SUCCESS']);
    expect((await api('GET', `/api/runs/${launched.body.runId}`)).body.configRef).toEqual({ name, version: 1 });
    const listed = (await api('GET', '/api/runs?limit=100')).body.runs.find((r: { runId: string }) => r.runId === launched.body.runId);
    expect(listed).toMatchObject({ attempts: 1, retries: 0, failures: 0, workers: ['api-test'], stepCounts: { SUCCEEDED: 1 } });

    const both = await api('POST', '/api/runs', { selection: 'key:raw/a', configName: name, config: {} });
    expect(both).toMatchObject({ status: 400, body: { error: { code: 'INVALID_REQUEST' } } });
    const unknown = await api('POST', '/api/runs', { selection: 'key:raw/a', configName: name, configVersion: 9 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toEqual({ code: 'UNKNOWN_RUN_CONFIG', message: `run config "${name}" has no version 9; it has versions 1 to 1` });
  });
});
