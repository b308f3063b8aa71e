import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor } from '../../src/core/redactor.js';
import { InProcessLauncher } from '../../src/execution/in-process/in-process-launcher.js';
import { ResourceCache } from '../../src/execution/resource-cache.js';
import { defineAsset } from '../../src/index.js';
import { RemoteRunService } from '../../src/runtime/remote-run-service.js';
import type { Instance } from '../../src/storage/instance.js';
import { openInstance } from '../../src/storage/index.js';
import { startApiServer } from '../../src/web/api-server.js';
import { graphOf, noop } from '../fixtures/graph.js';
import { withRuns } from '../fixtures/served-api.js';

const TOKEN = 'test-token-freshness-0123';
let instance: Instance;
let server: Server;
let url: string;
let launcher: InProcessLauncher;
const graph = graphOf([noop('raw'), defineAsset({ key: 'publish', deps: ['raw'], deadline: { cron: '30 6 * * *', timezone: 'Europe/London' }, freshness: { maxLagMinutes: 1440 }, materialize: () => undefined })]);

beforeAll(async () => {
  instance = await openInstance({ kind: 'pglite', dataDir: undefined });
  const host = { instance, graph, resources: new ResourceCache({}), redactor: new Redactor([]), worker: 'api-test', logLevel: 'silent' as const, now: () => new Date(), random: () => 0.5 };
  launcher = new InProcessLauncher(host);
  ({ server, url } = await startApiServer(withRuns({ instance, graph, launcher, token: TOKEN }), '127.0.0.1', 0));
}, 60_000);
afterAll(async () => {
  server.close();
  await launcher.close();
  await instance.close();
});

async function get(path: string) {
  const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return (await res.json()) as any;
}

describe('freshness verdicts on the asset page and in the assets list (API)', () => {
  it('shows the policy, the current verdicts worst first, the changes newest first, and the worst level in the list', async () => {
    const deadline = new Date('2031-03-10T06:30:00Z');
    const state = { assetKey: 'publish', kind: 'deadline' as const, partitionKey: '', deadline, lagMinutes: null };
    await instance.freshness.recordFreshnessChange({ state: { ...state, level: 'FAIL', violationKey: 'v1', about: deadline, summary: 'a materialization due by 06:30 is missing' }, before: null, deliveries: [] }, new Date('2031-03-10T06:30:01Z'));
    await instance.freshness.recordFreshnessChange(
      { state: { assetKey: 'publish', kind: 'freshness', partitionKey: '', level: 'PASS', violationKey: null, about: null, deadline: null, lagMinutes: 3, summary: '3 min since ...' }, before: null, deliveries: [] },
      new Date('2031-03-10T06:31:00Z'),
    );
    const detail = await get('/api/assets/publish');
    expect(detail.freshness.policy).toEqual({ maxLagMinutes: 1440, warnAfterMinutes: null });
    expect(detail.freshness.deadline).toEqual({ cron: '30 6 * * *', timezone: 'Europe/London', warnBeforeMinutes: null, customPartition: false });
    expect(detail.freshness.current.map((v: any) => [v.kind, v.level])).toEqual([
      ['deadline', 'FAIL'],
      ['freshness', 'PASS'],
    ]);
    expect(detail.freshness.history.map((v: any) => [v.kind, v.level, v.at])).toEqual([
      ['freshness', 'PASS', '2031-03-10T06:31:00.000Z'],
      ['deadline', 'FAIL', '2031-03-10T06:30:01.000Z'],
    ]);
    expect((await get('/api/assets/raw')).freshness).toBeNull();

    const { assets } = await get('/api/assets?status=true');
    expect(assets.map((a: any) => [a.key, a.freshness?.level ?? null])).toEqual([
      ['publish', 'FAIL'],
      ['raw', null],
    ]);
    // The CLI's `assets list --status` reads the same through the run port.
    const remote = new RemoteRunService({ pid: process.pid, url, token: TOKEN });
    try {
      expect((await remote.assetStatuses()).get('publish')?.freshness).toEqual({ level: 'FAIL', summary: 'deadline: a materialization due by 06:30 is missing' });
    } finally {
      await remote.close();
    }
  });
});
