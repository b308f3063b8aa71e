import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineAsset } from '../../src/core/asset/define-asset.js';
import { Redactor, REDACTED, secretsFromEnv } from '../../src/core/redactor.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { DaemonLoop } from '../../src/daemon/daemon-loop.js';
import { launchRun } from '../../src/execution/launch-run.js';
import type { RunLauncher } from '../../src/execution/run-launcher.js';
import type { Instance } from '../../src/storage/instance.js';
import { openInstance } from '../../src/storage/index.js';
import { apiRoutes } from '../../src/web/api-routes.js';
import { graphOf } from '../fixtures/graph.js';
import { withRuns } from '../fixtures/served-api.js';

const URL_WITH_PASSWORD = 'postgres://sluice:Pa55-word-123@db.internal:5432/warehouse';
const SECRET = 'Pa55-word-123';

let instance: Instance;
beforeAll(async () => {
  instance = await openInstance({ kind: 'pglite', dataDir: undefined });
});
afterAll(() => instance.close());

const until = async (what: string, test: () => boolean | Promise<boolean>) => {
  for (const deadline = Date.now() + 30_000; !(await test()); await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
};

describe('daemon loop errors', () => {
  it('are redacted in the daemon log, its heartbeat and the API, and the loop carries on', async () => {
    // A launcher that cannot reach its warehouse, and says so with the URL (password included).
    let starts = 0;
    const launcher: RunLauncher = {
      kind: 'in-process',
      start: async () => {
        starts++;
        throw new Error(`could not open ${URL_WITH_PASSWORD}: connection refused`);
      },
      cancel: async () => {},
      active: () => [],
      close: async () => {},
    };
    const logged: Array<{ fields: Record<string, unknown>; msg: string }> = [];
    const redactor = new Redactor(secretsFromEnv({ SLUICE_WAREHOUSE_URL: URL_WITH_PASSWORD }));
    const graph = graphOf([defineAsset({ key: 'loop_err', materialize: () => {} })]);
    const daemon = new Daemon(instance, launcher, {
      limits: { tagLimits: [] },
      queueIntervalMs: 20,
      monitorIntervalMs: 10_000,
      redactor,
      log: { error: (fields, msg) => void logged.push({ fields, msg }) },
    });
    await launchRun({ instance, graph }, { selection: '*', trigger: 'test', now: new Date() });
    await launchRun({ instance, graph }, { selection: '*', trigger: 'test', now: new Date() });
    let beats: Awaited<ReturnType<Instance['coordination']['listHeartbeats']>> = [];
    let status = 0;
    let body: unknown;
    await daemon.start();
    try {
      // Both runs are tried: the first failure did not stop the loop.
      await until(`two failed starts (${starts}, ${JSON.stringify(daemon.errors())})`, () => starts >= 2 && daemon.errors().length >= 2);
      await daemon.heartbeat.beat();
      beats = await instance.coordination.listHeartbeats();
      [status, body] = await apiRoutes(withRuns({ instance, launcher, graph, onQueued: () => {}, token: undefined })).route(
        { method: 'GET', headers: {} } as IncomingMessage,
        new URL('http://127.0.0.1/api/heartbeats'),
      );
    } finally {
      await daemon.stop();
    }
    expect(logged[0]).toMatchObject({ msg: 'daemon loop tick failed', fields: { loop: 'run-queue', err: { message: `could not open postgres://sluice:${REDACTED}@db.internal:5432/warehouse: connection refused` } } });
    const [beat] = beats.filter((b) => b.id === daemon.heartbeat.id);
    expect((beat!.info.errors as Array<{ loop: string }>).map((e) => e.loop)).toContain('run-queue');
    expect(status).toBe(200);
    for (const shown of [JSON.stringify(logged), JSON.stringify(daemon.errors()), JSON.stringify(beat!.info), JSON.stringify(body)]) {
      expect(shown).toContain(REDACTED);
      expect(shown).not.toContain(SECRET);
    }
  });

  it('back off after failures and come back to their interval after a success', async () => {
    const at: number[] = [];
    let fail = 2;
    const loop = new DaemonLoop({
      name: 'flaky',
      intervalMs: 5,
      backoff: { baseMs: 40, maxMs: 80 },
      tick: async () => {
        at.push(Date.now());
        if (fail-- > 0) throw new Error('not yet');
      },
    });
    loop.start();
    await until('five ticks', () => at.length >= 5);
    await loop.stop();
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    // Two failures: waits of at least 40 and 80 ms; then the 5 ms interval again.
    expect(gaps[0]).toBeGreaterThanOrEqual(39);
    expect(gaps[1]).toBeGreaterThanOrEqual(79);
    expect(loop.errors.map((e) => [e.loop, e.error.message])).toEqual([
      ['flaky', 'not yet'],
      ['flaky', 'not yet'],
    ]);
  });
});
