import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineAssetCheck } from '../../src/core/checks/check-definition.js';
import { Redactor } from '../../src/core/redactor.js';
import { InProcessLauncher } from '../../src/execution/in-process/in-process-launcher.js';
import { ResourceCache } from '../../src/execution/resource-cache.js';
import type { Instance } from '../../src/storage/instance.js';
import { openInstance } from '../../src/storage/index.js';
import { startApiServer } from '../../src/web/api-server.js';
import { graphOf, noop } from '../fixtures/graph.js';
import { withRuns } from '../fixtures/served-api.js';

const TOKEN = 'test-token-gating-0123456789';
let instance: Instance;
let server: Server;
let url: string;
let launcher: InProcessLauncher;

beforeAll(async () => {
  instance = await openInstance({ kind: 'pglite', dataDir: undefined });
  const graph = graphOf([noop('raw'), noop('mart', ['raw'])], [defineAssetCheck({ asset: 'raw', name: 'valid', blocking: true, check: () => ({ passed: false }) })]);
  const host = { instance, graph, resources: new ResourceCache({}), redactor: new Redactor([]), worker: 'api-test', logLevel: 'info' as const, now: () => new Date(), random: () => 0.5 };
  launcher = new InProcessLauncher(host);
  ({ server, url } = await startApiServer(withRuns({ instance, graph, launcher, token: TOKEN, onQueued: () => {} }), '127.0.0.1', 0));
  // A stored failed evaluation of raw#valid, as an earlier run would leave it.
  const run = { id: 'earlier-run', selection: '*', trigger: 'test', tags: {}, config: {}, configRef: null, at: new Date() };
  await instance.runs.createRun({ ...run, steps: [{ key: 'raw', kind: 'asset', assetKey: 'raw', checkName: null, deps: [] }, { key: 'raw#valid', kind: 'check', assetKey: 'raw', checkName: 'valid', deps: ['raw'] }] });
  await instance.runs.startStep(run.id, 'raw', 1, new Date(), 'w');
  await instance.runs.finishStep(run.id, 'raw', { status: 'SUCCEEDED', attempt: 1, at: new Date(), durationMs: 1 });
  await instance.runs.startStep(run.id, 'raw#valid', 1, new Date(), 'w');
  await instance.runs.finishStep(run.id, 'raw#valid', {
    status: 'FAILED', attempt: 1, at: new Date(), durationMs: 1, error: { name: 'CheckFailedError', message: 'failed' },
    check: { passed: false, severity: 'ERROR', blocking: true, metadata: {} },
  });
});

afterAll(async () => {
  server.close();
  await launcher.close();
  await instance.close();
});

async function launch(body: unknown) {
  const res = await fetch(`${url}/api/runs`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { runId?: string; error?: { code: string; message: string } } };
}

describe('POST /api/runs and cross-run gating', () => {
  it('refuses a launch downstream of a failed blocking check with 400 FAILED_CHECK_GATE', async () => {
    const res = await launch({ selection: 'key:mart' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'FAILED_CHECK_GATE', message: expect.stringContaining('check "valid" of "raw" failed in run earlier-run') });
  });

  it('launches with allowFailedChecks: true, tagging the run, and rejects a non-boolean', async () => {
    const res = await launch({ selection: 'key:mart', allowFailedChecks: true });
    expect(res.status).toBe(201);
    expect((await instance.runs.getRun(res.body.runId!))?.tags).toMatchObject({ 'sluice/allow_failed_checks': 'true' });
    expect((await launch({ selection: 'key:mart', allowFailedChecks: 'yes' })).status).toBe(400);
  });
});
