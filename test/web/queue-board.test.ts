import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceQueuedRun } from '../../src/execution/bullmq/run-wakeup.js';
import { boardQueues } from '../../src/runtime/board-queues.js';
import { bullmqLauncher, connectRedis } from '../../src/runtime/distributed.js';
import { readSettings } from '../../src/runtime/settings.js';
import type { Instance } from '../../src/storage/instance.js';
import { queueBoard } from '../../src/web/queue-board.js';
import { resolveWebBinding } from '../../src/web/web-binding.js';
import { startWebServer, type WebServer } from '../../src/web/web-server.js';
import { graphOf, noop } from '../fixtures/graph.js';
import { dropSchema, freshRedisPrefix, freshSchema, openTestPostgres, TEST_REDIS_URL } from '../fixtures/services.js';
import { withRuns } from '../fixtures/served-api.js';

/**
 * Distributed mode: the API on server Postgres, bull-board at /queues behind the same token, and
 * the BullMQ step-queue depth in /metrics. No worker runs, so launched steps stay waiting.
 */
const TOKEN = 'queue-board-token-0123456789';
const schema = freshSchema();
const settings = readSettings({ SLUICE_REDIS_URL: TEST_REDIS_URL, SLUICE_REDIS_PREFIX: freshRedisPrefix(), SLUICE_DATABASE_URL: 'postgres://unused' }, { cwd: process.cwd() });
let instance: Instance;
let redis: Awaited<ReturnType<typeof connectRedis>>;
let web: WebServer;
let closeBoard: () => Promise<void>;
let closeLauncher: () => Promise<void>;

beforeAll(async () => {
  instance = await openTestPostgres(schema);
  redis = await connectRedis(TEST_REDIS_URL);
  const graph = graphOf([noop('a'), noop('b', ['a'])]);
  const launcher = bullmqLauncher(settings, instance, graph, redis);
  closeLauncher = () => launcher.close();
  const board = boardQueues(settings, redis);
  closeBoard = board.close;
  web = await startWebServer({
    api: withRuns({
      instance,
      graph,
      launcher,
      onQueued: (runId) => {
        void instance.runs.setRunStatus(runId, 'STARTED', new Date()).then(() => launcher.start(runId));
        void announceQueuedRun(redis, settings.redisPrefix, runId);
      },
    }),
    binding: resolveWebBinding({ host: '127.0.0.1', port: 0, token: TOKEN }),
    metrics: { heartbeatTimeoutMs: 15_000, cacheMs: 0, stepQueueDepth: () => launcher.queue.depth() },
    queueBoard: queueBoard(board.queues),
  });
});

afterAll(async () => {
  await web?.close();
  await closeBoard?.();
  await closeLauncher?.();
  const keys = await redis.keys(`${settings.redisPrefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis?.disconnect();
  await instance?.close();
  await dropSchema(schema);
});

const auth = { authorization: `Bearer ${TOKEN}` };

describe('bull-board and metrics with a BullMQ executor', () => {
  it('serves bull-board at /queues only to authenticated requests, with the step jobs waiting', async () => {
    const launched = await fetch(`${web.url}/api/runs`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ selection: '*' }) });
    expect(launched.status).toBe(201);
    expect((await fetch(`${web.url}/queues`, { redirect: 'manual' })).status).toBe(303);
    expect((await fetch(`${web.url}/queues/api/queues`)).status).toBe(401);
    const page = await fetch(`${web.url}/queues`, { headers: auth });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Sluice queues');
    // Its UI is served from the installed package under /queues, nothing from the network.
    expect(html).toContain('<base href="/queues/" />');
    const script = /src="([^"]+\.js)"/.exec(html)![1]!;
    expect((await fetch(`${web.url}/queues/${script}`, { headers: auth })).status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("font-src 'self' data:");
    let waiting = 0;
    for (let i = 0; i < 100 && waiting === 0; i++) {
      const body = (await (await fetch(`${web.url}/queues/api/queues`, { headers: auth })).json()) as { queues: Array<{ name: string; counts: Record<string, number> }> };
      const steps = body.queues.find((q) => q.name === 'steps')!;
      waiting = steps.counts.waiting ?? 0;
      if (waiting === 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(waiting).toBe(1);
    // bull-board's own writes are state changes like any other: a cross-site one is refused.
    const login = await fetch(`${web.url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${TOKEN}` });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const forged = await fetch(`${web.url}/queues/api/queues/steps/pause`, { method: 'PUT', headers: { cookie, 'sec-fetch-site': 'cross-site' } });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('CSRF');
    expect((await fetch(`${web.url}/queues/api/queues/steps/pause`, { method: 'PUT', headers: { cookie: 'sluice_session=1.x' } })).status).toBe(401);
    expect((await fetch(`${web.url}/api/session`, { headers: auth }).then((r) => r.json())) as object).toEqual({ authRequired: true, queues: true });
  });

  it('reports the step-queue depth and the runs in flight in /metrics', async () => {
    const text = await (await fetch(`${web.url}/metrics`, { headers: auth })).text();
    expect(text).toMatch(/^sluice_queue_depth\{queue="steps"\} 1$/m);
    expect(text).toMatch(/^sluice_runs\{status="STARTED"\} 1$/m);
    expect(text).toMatch(/^sluice_steps\{status="PENDING",kind="asset"\} 2$/m);
  });
});
