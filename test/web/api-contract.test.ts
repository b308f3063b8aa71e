import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSluiceError } from '../../src/core/errors.js';
import { Redactor } from '../../src/core/redactor.js';
import { InProcessLauncher } from '../../src/execution/in-process/in-process-launcher.js';
import { ResourceCache } from '../../src/execution/resource-cache.js';
import type { Instance } from '../../src/storage/instance.js';
import { openInstance } from '../../src/storage/index.js';
import { apiClient, type ApiClient } from '../../src/web/api-client.js';
import { apiContract } from '../../src/web/api-contract.js';
import { resolveWebBinding } from '../../src/web/web-binding.js';
import { startWebServer, type WebServer } from '../../src/web/web-server.js';
import { RemoteRunService } from '../../src/runtime/remote-run-service.js';
import { closedPort } from '../fixtures/closed-port.js';
import { graphOf, noop } from '../fixtures/graph.js';
import { withRuns } from '../fixtures/served-api.js';

const TOKEN = 'contract-token-0123456789';
let instance: Instance;
let web: WebServer;
let url: string;
let launcher: InProcessLauncher;
let client: ApiClient;

beforeAll(async () => {
  instance = await openInstance({ kind: 'pglite', dataDir: undefined });
  const graph = graphOf([noop('raw/a'), noop('b', ['raw/a'])]);
  const host = { instance, graph, resources: new ResourceCache({}), redactor: new Redactor([]), worker: 'contract-test', logLevel: 'info' as const, now: () => new Date(), random: () => 0.5 };
  launcher = new InProcessLauncher(host);
  // Runs stay QUEUED: nothing here needs them executed.
  web = await startWebServer({
    api: withRuns({ instance, graph, launcher, onQueued: () => {} }),
    binding: resolveWebBinding({ host: '127.0.0.1', port: 0, token: TOKEN }),
    metrics: { heartbeatTimeoutMs: 15_000, cacheMs: 0 },
  });
  url = web.url;
  client = apiClient(url, TOKEN);
});
afterAll(async () => {
  await web.close();
  await launcher.close();
  await instance.close();
});

async function send(method: string, path: string, body?: string) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body }),
  });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
}

describe('the API contract at the HTTP boundary', () => {
  it.each([
    ['a body without its required field', '/api/runs', {}, 'body needs "selection": a selection expression'],
    ['an enum field out of its values', '/api/runs', { selection: 'b', trigger: 'robot' }, '"trigger" must be "api", "cli" or "web"'],
    ['a misspelt optional field', '/api/runs', { selection: 'b', allowFailedCheck: true }, 'body has unknown field "allowFailedCheck"; it takes selection, config, tags, trigger, allowFailedChecks, configName, configVersion, partition'],
    ['a nested value of the wrong type', '/api/runs', { selection: 'b', tags: { team: 7 } }, '"tags.team" must be a string'],
    ['a number out of range', '/api/backfills', { selection: 'b', from: 'x', to: 'y', maxConcurrentRuns: 0 }, '"maxConcurrentRuns" must be a whole number >= 1, or null'],
    ['a body that is not an object', '/api/launch/preview', [], 'the body must be a JSON object'],
    ['a status outside the enum', '/api/schedule-states/nightly', { status: 'PAUSED' }, '"status" must be "RUNNING" or "STOPPED"'],
    ['reported metadata that is not an object', '/api/assets/b/events', { metadata: [1] }, '"metadata" must be a JSON object of metadata values'],
    ['a report of an unknown kind', '/api/assets/b/events', { kind: 'guess' }, '"kind" must be "materialization" or "observation"'],
    ['a report from an unknown reporter', '/api/assets/b/events', { trigger: 'web' }, '"trigger" must be "api" or "cli"'],
  ])('answers %s with 400 INVALID_REQUEST naming the field, and writes nothing', async (_, path, body, message) => {
    const res = await send('POST', path, JSON.stringify(body));
    expect(res).toEqual({ status: 400, body: { error: { code: 'INVALID_REQUEST', message } } });
    expect(await instance.runs.listRuns({ limit: 10 })).toEqual([]);
    expect(await instance.schedules.listScheduleStates()).toEqual([]);
  });

  it('names every wrong field of one body, not only the first', async () => {
    const res = await send('POST', '/api/runs', JSON.stringify({ selection: '', allowFailedChecks: 'yes' }));
    expect(res.body.error?.message).toBe('"selection" must be a selection expression; "allowFailedChecks" must be true or false');
  });

  it('answers a bad query parameter with 400 INVALID_QUERY naming it and what it got', async () => {
    expect((await send('GET', '/api/runs?limit=abc')).body.error).toEqual({ code: 'INVALID_QUERY', message: 'query parameter "limit" must be a whole number >= 1 (got "abc")' });
    expect((await send('GET', '/api/runs?since=yesterday')).body.error?.message).toBe('query parameter "since" must be an ISO-8601 instant (got "yesterday")');
    expect((await send('GET', '/api/backfills?status=done')).body.error?.message).toContain('query parameter "status" must be among RUNNING, COMPLETED');
    expect((await send('GET', '/api/selection')).body.error?.message).toBe('query parameter "select" must be a selection expression');
    expect((await send('GET', '/api/alerts?status=sent')).body.error).toEqual({ code: 'INVALID_QUERY', message: 'query parameter "status" must be PENDING, SENT or FAILED (got "sent")' });
  });

  it('serves every route of the contract (none answers "no route")', async () => {
    const params: Record<string, string> = { key: 'b', id: 'nope', name: 'nope' };
    for (const [name, spec] of Object.entries(apiContract)) {
      // The runs stream stays open; the run stream of an unknown run answers 404 UNKNOWN_RUN.
      if (name === 'runsStream') continue;
      const path = spec.path.replace(/:([A-Za-z]+)\+?/g, (_, p: string) => params[p]!);
      const res = await send(spec.method, path, spec.method === 'POST' ? '{}' : undefined);
      expect(res.body.error?.code, `${name}: ${JSON.stringify(res.body)}`).not.toBe('NOT_FOUND');
    }
  });

  it('gives the typed client the answers the contract promises, and the server\u2019s code and message on refusal', async () => {
    const launched = await client.call('launchRun', { body: { selection: 'key:b', tags: { team: 'data' }, trigger: 'cli' } });
    expect(launched).toMatchObject({ status: 'QUEUED', steps: 1 });
    const summary = await client.call('getRun', { params: { id: launched.runId } });
    expect(summary).toMatchObject({ runId: launched.runId, selection: 'key:b', tags: { team: 'data' }, trigger: 'cli', partition: null });
    const listed = await client.call('listRuns', { query: { limit: 5, tag: ['team=data'], status: 'queued' } });
    expect(listed.runs.map((r) => r.runId)).toEqual([launched.runId]);
    expect((await client.call('getAsset', { params: { key: 'raw/a' }, query: { limit: 1 } })).asset.key).toBe('raw/a');
    const refused = await client.call('launchRun', { body: { selection: 'key:nope' } }).catch((error: unknown) => error);
    expect(isSluiceError(refused) && refused.kind).toBe('input');
    expect(isSluiceError(refused) && refused.code).not.toBe('INVALID_REQUEST');
  });

  it('lets the CLI’s RemoteRunService reach the daemon through the client, and says DAEMON_UNREACHABLE when nothing answers', async () => {
    const live = new RemoteRunService({ pid: process.pid, url, token: TOKEN });
    expect(await live.ticks('nightly', 5)).toEqual([]);
    await expect(live.summary('nope')).rejects.toMatchObject({ code: 'UNKNOWN_RUN', kind: 'input' });
    const gone = new RemoteRunService({ pid: 4242, url: `http://127.0.0.1:${await closedPort()}`, token: TOKEN });
    await expect(gone.heartbeats()).rejects.toMatchObject({ code: 'DAEMON_UNREACHABLE', kind: 'internal', message: expect.stringContaining('(pid 4242)') });
  });

  it('records an observation the CLI reports through the daemon as the CLI’s, without a materialization; the asset lists it', async () => {
    const live = new RemoteRunService({ pid: process.pid, url, token: TOKEN });
    const { runId } = await live.reportAssetEvent({ assetKey: 'raw/a', metadata: { rows: 42 }, kind: 'observation', source: 'cli' });
    expect(await client.call('getRun', { params: { id: runId } })).toMatchObject({ status: 'SUCCESS', trigger: 'external:cli', tags: { 'sluice/external': 'true' } });
    const detail = await client.call('getAsset', { params: { key: 'raw/a' }, query: { limit: 5 } });
    expect(detail.observations.map((o) => [o.runId, o.metadata, o.partition])).toEqual([[runId, { rows: 42 }, null]]);
    expect(detail.materializations).toEqual([]);
    const refused = await live.reportAssetEvent({ assetKey: 'raw/b', kind: 'observation', source: 'cli' }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'UNKNOWN_ASSET', kind: 'input' });
  });
});
