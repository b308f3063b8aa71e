import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAsset } from '../../src/core/asset/define-asset.js';
import { defineAssetCheck } from '../../src/core/checks/check-definition.js';
import { Redactor } from '../../src/core/redactor.js';
import { defineSchedule } from '../../src/core/schedule/schedule-definition.js';
import { InProcessLauncher } from '../../src/execution/in-process/in-process-launcher.js';
import { ResourceCache } from '../../src/execution/resource-cache.js';
import { CronTicks } from '../../src/scheduler/cron-ticks.js';
import type { Instance } from '../../src/storage/instance.js';
import { openInstance } from '../../src/storage/index.js';
import { resolveWebBinding } from '../../src/web/web-binding.js';
import { startWebServer, type WebServer } from '../../src/web/web-server.js';
import { graphOf, noop } from '../fixtures/graph.js';
import { withRuns } from '../fixtures/served-api.js';

const TOKEN = 'web-test-token-0123456789abcdef';
let instance: Instance;
let web: WebServer;
let launcher: InProcessLauncher;

const quality = defineAssetCheck({
  asset: 'raw/a',
  name: 'quality',
  blocking: true,
  check: (ctx) => (ctx.run.tags.bad === 'yes' ? { passed: false, description: '3 of 10 rows invalid', metadata: { invalid: 3 } } : { passed: true }),
});

beforeAll(async () => {
  instance = await openInstance({ kind: 'pglite', dataDir: undefined });
  const graph = graphOf(
    [
      defineAsset({ key: 'raw/a', group: 'ingest', config: z.object({ n: z.number().int().min(1).default(2) }), materialize: (ctx) => ({ metadata: { rows: ctx.config.n } }) }),
      noop('b', ['raw/a']),
      noop('c', ['b']),
      defineAsset({ key: 'slow', materialize: (ctx) => new Promise<void>((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('stopped')))) }),
    ],
    [quality],
  );
  const host = { instance, graph, resources: new ResourceCache({}), redactor: new Redactor([]), worker: 'web-test', logLevel: 'info' as const, now: () => new Date(), random: () => 0.5 };
  launcher = new InProcessLauncher(host);
  const nightly = defineSchedule({ name: 'nightly', cron: '0 3 * * *', timezone: 'UTC', select: 'key:b' });
  web = await startWebServer({
    api: withRuns({
      instance,
      graph,
      launcher,
      // What the daemon's run queue does on wake-up.
      onQueued: (runId) => void instance.runs.setRunStatus(runId, 'STARTED', new Date()).then(() => launcher.start(runId)),
      schedules: [{ definition: nightly, ticks: new CronTicks(nightly.cron, nightly.timezone) }],
    }),
    binding: resolveWebBinding({ host: '127.0.0.1', port: 0, token: TOKEN }),
    metrics: { heartbeatTimeoutMs: 15_000, cacheMs: 0 },
  });
});
afterAll(async () => {
  await web.close();
  await launcher.close();
  await instance.close();
});

type Init = { method?: string; body?: unknown; headers?: Record<string, string>; auth?: boolean };
async function call(path: string, init: Init = {}) {
  const res = await fetch(`${web.url}${path}`, {
    method: init.method ?? 'GET',
    redirect: 'manual',
    headers: {
      ...(init.auth === false ? {} : { authorization: `Bearer ${TOKEN}` }),
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
    ...(init.body !== undefined ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: res.status, body, text, headers: res.headers };
}

async function until(runId: string, statuses: string[]) {
  for (;;) {
    const { body } = await call(`/api/runs/${runId}`);
    if (statuses.includes(body.status)) return body;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('web server binding', () => {
  it('refuses a non-loopback address without SLUICE_WEB_TOKEN, as bad input', () => {
    expect(() => resolveWebBinding({ host: '0.0.0.0', port: 3000, token: undefined })).toThrowError(/not a loopback address.*SLUICE_WEB_TOKEN/);
    try {
      resolveWebBinding({ host: '10.1.2.3', port: 3000, token: '' });
    } catch (error) {
      expect(error).toMatchObject({ code: 'WEB_TOKEN_REQUIRED', kind: 'input' });
    }
    expect(resolveWebBinding({ host: '0.0.0.0', port: '8080', token: TOKEN })).toEqual({ host: '0.0.0.0', port: 8080, token: TOKEN, loopback: false });
    expect(resolveWebBinding({ host: 'localhost', port: 3000, token: undefined }).loopback).toBe(true);
    expect(() => resolveWebBinding({ host: '0.0.0.0', port: 3000, token: 'short' })).toThrowError(/at least 16/);
    expect(() => resolveWebBinding({ host: '127.0.0.1', port: 70_000, token: undefined })).toThrowError(/--web-port/);
  });
});

describe('access control', () => {
  it('answers /healthz to anyone and 401 to API and metrics requests without the token', async () => {
    expect((await call('/healthz', { auth: false })).body).toEqual({ ok: true });
    for (const path of ['/api/runs', '/api/assets', '/api/lineage', '/metrics', '/api/runs/stream']) {
      const res = await call(path, { auth: false });
      expect(res.status, path).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHORIZED');
    }
    expect((await call('/api/runs', { auth: false, headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(401);
    const page = await call('/', { auth: false });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2F');
  });

  it('logs in with the token through a secure, HttpOnly, SameSite=Strict cookie that never holds the token', async () => {
    const form = (token: string) => ({ method: 'POST', auth: false, body: `token=${encodeURIComponent(token)}&next=%2F%23%2Fruns`, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: web.url, 'sec-fetch-site': 'same-origin' } });
    const wrong = await call('/login', form('not-the-token'));
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('Wrong token');
    const ok = await call('/login', form(TOKEN));
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/#/runs');
    const cookie = ok.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^sluice_session=\d+\.[\w-]+; Path=\/; HttpOnly; Secure; SameSite=Strict; Max-Age=43200$/);
    expect(cookie).not.toContain(TOKEN);
    const session = cookie.split(';')[0]!;
    expect((await call('/api/runs', { auth: false, headers: { cookie: session } })).status).toBe(200);
    expect((await call('/api/runs', { auth: false, headers: { cookie: `${session.slice(0, -2)}xx` } })).status).toBe(401);
    // An open redirect is not possible through `next`.
    const away = await call('/login', { ...form(TOKEN), body: `token=${TOKEN}&next=%2F%2Fevil.example` });
    expect(away.headers.get('location')).toBe('/');
  });

  it('refuses cookie-authenticated writes that a cross-site page could forge (CSRF)', async () => {
    const login = await call('/login', { method: 'POST', auth: false, body: `token=${TOKEN}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const launch = (headers: Record<string, string>) => call('/api/runs', { method: 'POST', auth: false, body: { selection: 'key:b' }, headers: { cookie, ...headers } });
    const noHeader = await launch({ origin: web.url });
    expect(noHeader.status).toBe(403);
    expect(noHeader.body.error).toMatchObject({ code: 'CSRF', message: expect.stringContaining('x-sluice-csrf') });
    expect((await launch({ 'x-sluice-csrf': '1', origin: 'https://evil.example' })).body.error.code).toBe('CSRF');
    expect((await launch({ 'x-sluice-csrf': '1', 'sec-fetch-site': 'cross-site' })).body.error.code).toBe('CSRF');
    expect((await call('/login', { method: 'POST', auth: false, body: `token=${TOKEN}`, headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
    const same = await launch({ 'x-sluice-csrf': '1', origin: web.url, 'sec-fetch-site': 'same-origin' });
    expect(same.status).toBe(201);
    await until(same.body.runId, ['SUCCESS']);
  });

  it('answers only to loopback host names on a loopback bind (DNS rebinding)', async () => {
    // fetch may not set Host; node:http may.
    const { port } = new URL(web.url);
    const answer = (host: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/api/runs', headers: { host, authorization: `Bearer ${TOKEN}` } }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        });
        req.on('error', reject);
        req.end();
      });
    const evil = await answer(`evil.example:${port}`);
    expect(evil.status).toBe(403);
    expect(JSON.parse(evil.body).error.code).toBe('FORBIDDEN_HOST');
    expect((await answer(`localhost:${port}`)).status).toBe(200);
  });

  it('never sends the token in a page or an API response', async () => {
    for (const path of ['/', '/login', '/api/session', '/api/assets', '/api/runs', '/static/app.js', '/metrics', '/api/schedules']) {
      const res = await call(path);
      expect(res.status, path).toBeLessThan(400);
      expect(res.text, path).not.toContain(TOKEN);
    }
    expect((await call('/api/session')).body).toEqual({ authRequired: true, queues: false });
    expect((await call('/')).headers.get('content-security-policy')).toContain("script-src 'self'");
  });
});

describe('JSON API on real storage', () => {
  let failed: string;

  it('launches, and answers asset states, asset detail and the run with its check result', async () => {
    const ok = await call('/api/runs', { method: 'POST', body: { selection: '*', tags: { team: 'x' } } });
    expect(ok.status).toBe(201);
    await until(ok.body.runId, ['STARTED']);
    await call(`/api/runs/${ok.body.runId}/cancel`, { method: 'POST' });
    const bad = await call('/api/runs', { method: 'POST', body: { selection: '+key:c', tags: { bad: 'yes' }, config: { 'raw/a': { n: 5 } } } });
    failed = bad.body.runId;
    const summary = await until(failed, ['FAILURE']);
    expect(summary.steps.map((s: { key: string; status: string }) => [s.key, s.status])).toEqual([
      ['raw/a', 'SUCCEEDED'],
      ['raw/a#quality', 'FAILED'],
      ['b', 'SKIPPED'],
      ['c', 'SKIPPED'],
    ]);
    const check = summary.steps[1];
    expect(check.check).toMatchObject({ passed: false, description: '3 of 10 rows invalid', metadata: { invalid: 3 } });

    const states = new Map((await call('/api/asset-states')).body.states.map((s: { key: string }) => [s.key, s]));
    expect(states.get('raw/a')).toMatchObject({ status: 'failed', reason: 'check quality failed', checks: [{ name: 'quality', passed: false, runId: failed }] });
    expect(states.get('c')).toMatchObject({ status: 'stale' });

    const detail = await call('/api/assets/raw/a');
    expect(detail.body).toMatchObject({ asset: { key: 'raw/a', group: 'ingest' }, downstream: ['b'], upstream: [], takesConfig: true, configDefaults: { n: 2 } });
    expect(detail.body.materializations[0]).toMatchObject({ runId: failed, metadata: { rows: 5 } });
    expect(detail.body.checkHistory[0]).toMatchObject({ runId: failed, checkName: 'quality', passed: false });
    const unknown = await call('/api/assets/raw/aa');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('did you mean "raw/a"');
  });

  it('filters runs by status, tag and schedule, and serves steps and one step\u2019s events', async () => {
    const failures = (await call('/api/runs?status=failure')).body.runs;
    expect(failures.map((r: { runId: string }) => r.runId)).toContain(failed);
    expect(failures.every((r: { status: string }) => r.status === 'FAILURE')).toBe(true);
    const tagged = (await call('/api/runs?tag=bad%3Dyes')).body.runs;
    expect(tagged.map((r: { runId: string }) => r.runId)).toEqual([failed]);
    expect((await call('/api/runs?schedule=nightly')).body.runs).toEqual([]);
    expect((await call('/api/runs?tag=novalue')).status).toBe(400);
    expect((await call(`/api/runs?tag=bad%3Dyes&since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).body.runs).toEqual([]);
    expect((await call('/api/runs?tag=bad%3Dyes&since=2000-01-01T00:00:00Z')).body.runs.map((r: { runId: string }) => r.runId)).toEqual([failed]);
    expect((await call('/api/runs?since=yesterday')).status).toBe(400);
    const steps = (await call(`/api/runs/${failed}/steps`)).body.steps;
    expect(steps).toHaveLength(4);
    const events = (await call(`/api/runs/${failed}/events?step=${encodeURIComponent('raw/a#quality')}`)).body.events;
    expect(events.map((e: { type: string }) => e.type)).toEqual(['STEP_STARTED', 'CHECK_EVALUATION', 'STEP_FAILED']);
    expect(events.every((e: { stepKey: string }) => e.stepKey === 'raw/a#quality')).toBe(true);
    // Read backwards from the end of the log: the newest page, then the one before it.
    const all = (await call(`/api/runs/${failed}/events`)).body.events as { id: number }[];
    const newest = (await call(`/api/runs/${failed}/events?before=9007199254740991&limit=2`)).body.events as { id: number }[];
    expect(newest.map((e) => e.id)).toEqual(all.slice(-2).map((e) => e.id));
    const older = (await call(`/api/runs/${failed}/events?before=${newest[0]!.id}&limit=3`)).body.events as { id: number }[];
    expect(older.map((e) => e.id)).toEqual(all.slice(-5, -2).map((e) => e.id));
    expect((await call(`/api/runs/${failed}/events?before=-1`)).status).toBe(400);
  });

  it('re-executes a failed run from failure: the failed and not-run assets, tagged with the parent', async () => {
    const res = await call(`/api/runs/${failed}/reexecute`, { method: 'POST' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ parentRunId: failed, selection: 'key:raw/a or key:b or key:c', steps: 4 });
    const child = await until(res.body.runId, ['SUCCESS', 'FAILURE']);
    expect(child.tags).toMatchObject({ bad: 'yes', 'sluice/parent_run_id': failed, 'sluice/root_run_id': failed });
    const succeeded = await call('/api/runs?status=success&limit=1');
    const again = await call(`/api/runs/${succeeded.body.runs[0].runId}/reexecute`, { method: 'POST' });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('NOT_REEXECUTABLE');
  });

  it('lays the lineage out left to right and filters it with the CLI selection parser', async () => {
    const lineage = (await call('/api/lineage')).body;
    const x = new Map(lineage.nodes.map((n: { key: string; x: number }) => [n.key, n.x]));
    for (const [from, to] of lineage.edges) expect(lineage.nodes[from].x).toBeLessThan(lineage.nodes[to].x);
    expect(x.get('raw/a')).toBe(0);
    expect(lineage.groups).toEqual(['default', 'ingest']);
    expect((await call(`/api/selection?select=${encodeURIComponent('key:b+')}`)).body.keys).toEqual(['b', 'c']);
    const bad = await call('/api/selection?select=gruop:x');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('SELECTION_SYNTAX');
  });

  it('previews a launch: selected keys, config defaults and the config validated against the schema', async () => {
    const ok = (await call('/api/launch/preview', { method: 'POST', body: { selection: '+key:b' } })).body;
    expect(ok).toEqual({ keys: ['raw/a', 'b'], configurable: [{ key: 'raw/a', defaults: { n: 2 } }], checks: 1, partitions: null, configError: null });
    const bad = (await call('/api/launch/preview', { method: 'POST', body: { selection: '+key:b', config: { 'raw/a': { n: 0 } } } })).body;
    expect(bad.configError).toMatchObject({ code: 'INVALID_RUN_CONFIG', message: expect.stringContaining('field "n"') });
    const launched = await call('/api/runs', { method: 'POST', body: { selection: '+key:b', config: { 'raw/a': { n: 0 } } } });
    expect(launched.status).toBe(400);
  });

  it('lists schedules with their state and next tick, and starts and stops them', async () => {
    const before = (await call('/api/schedules')).body.schedules;
    expect(before).toMatchObject([{ name: 'nightly', cron: '0 3 * * *', timezone: 'UTC', status: 'STOPPED', lastTick: null }]);
    expect(before[0].nextTick).toMatch(/T03:00:00\.000Z$/);
    expect((await call('/api/schedules/nightly/start', { method: 'POST' })).body.state.status).toBe('RUNNING');
    expect((await call('/api/schedules')).body.schedules[0].status).toBe('RUNNING');
    expect((await call('/api/schedules/nightly/stop', { method: 'POST' })).body.state.status).toBe('STOPPED');
    const unknown = await call('/api/schedules/nightlyy/start', { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('did you mean "nightly"');
  });

  it('streams a run\u2019s events live over SSE until it ends', async () => {
    const launched = await call('/api/runs', { method: 'POST', body: { selection: 'key:slow' } });
    const runId = launched.body.runId;
    const res = await fetch(`${web.url}/api/runs/${runId}/stream?after=0`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const types: string[] = [];
    let canceled = false;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = text.indexOf('\n\n')) >= 0) {
        const block = text.slice(0, cut);
        text = text.slice(cut + 2);
        const event = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (event === 'events') for (const e of JSON.parse(data!)) types.push(e.type);
        if (event === 'end') types.push('end');
      }
      if (!canceled && types.includes('STEP_STARTED')) {
        canceled = true;
        await call(`/api/runs/${runId}/cancel`, { method: 'POST' });
      }
    }
    expect(types[0]).toBe('RUN_QUEUED');
    expect(types).toContain('STEP_STARTED');
    expect(types.slice(-2)).toEqual(['RUN_CANCELED', 'end']);
  });

  it('exports Prometheus metrics: runs in flight, finished runs and steps, step durations, heartbeats', async () => {
    await instance.coordination.heartbeat({ id: 'daemon:test', kind: 'daemon', host: 'h', pid: 1, startedAt: new Date(), at: new Date(), info: {} });
    const res = await call('/metrics');
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(res.text).toMatch(/^sluice_runs\{status="QUEUED"\} 0$/m);
    expect(res.text).toMatch(/^sluice_runs_finished_total\{status="FAILURE"\} [1-9]/m);
    expect(res.text).toMatch(/^sluice_runs_finished_total\{status="CANCELED"\} [1-9]/m);
    expect(res.text).toMatch(/^sluice_steps_finished_total\{status="SKIPPED",kind="asset"\} [1-9]/m);
    expect(res.text).toMatch(/^sluice_step_duration_seconds_count\{kind="check",status="FAILED"\} [1-9]/m);
    expect(res.text).toMatch(/^sluice_processes\{kind="daemon",state="alive"\} 1$/m);
    expect(res.text).toMatch(/^sluice_queue_depth\{queue="runs"\} 0$/m);
    expect(res.text).toMatch(/^sluice_backfills\{status="RUNNING"\} 0$/m);
  });
});
