import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor } from '../../src/core/redactor.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { InProcessLauncher } from '../../src/execution/in-process/in-process-launcher.js';
import { runFreshnessPass } from '../../src/daemon/freshness-pass.js';
import { launchRun } from '../../src/execution/launch-run.js';
import { ResourceCache } from '../../src/execution/resource-cache.js';
import { defineAlert, defineAsset, webhook } from '../../src/index.js';
import { openInstance } from '../../src/storage/index.js';
import type { Instance } from '../../src/storage/instance.js';
import { graphOf, noop } from '../fixtures/graph.js';
import { HttpReceiver } from './alert-receivers.js';

async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Post {
  readonly event: string;
  readonly idempotencyKey: string;
  readonly detail: { assetKey: string; kind: string; level: string; recovers?: string; summary: string };
}

/** A daily deadline whose next tick is `seconds` from now (6-field cron, UTC): the tick before it is yesterday's. */
function deadlineIn(seconds: number): { cron: string; at: Date } {
  const at = new Date(Math.ceil((Date.now() + seconds * 1000) / 1000) * 1000);
  return { cron: `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} * * *`, at };
}

describe('freshness and deadlines checked by the daemon while runs go on (real daemon, PGlite, HTTP receiver)', () => {
  let instance: Instance;
  let daemon: Daemon;
  const receiver = new HttpReceiver();
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  // The deadline passes 8 s after the test starts, while publish waits on the gate.
  const deadline = deadlineIn(8);
  const publish = defineAsset({ key: 'publish', deps: ['raw'], group: 'promotion', deadline: { cron: deadline.cron, timezone: 'UTC' }, materialize: () => gate });
  // Lag: WARN from 3 s after a materialization, FAIL from 6 s.
  const lagging = defineAsset({ key: 'lagging', freshness: { maxLagMinutes: 0.1, warnAfterMinutes: 0.05 }, materialize: () => undefined });
  const graph = graphOf([noop('raw'), publish, lagging]);
  const sla = defineAlert({ name: 'sla', on: ['freshness_violation'], channels: [webhook({ urlEnv: 'SLA_URL' })] });
  const posts = (asset: string) => receiver.posts.map((p) => JSON.parse(p.body) as Post).filter((p) => p.detail.assetKey === asset);

  beforeAll(async () => {
    instance = await openInstance({ kind: 'pglite', dataDir: undefined });
    await receiver.start();
    const env = { SLA_URL: `http://127.0.0.1:${receiver.port}/sla` };
    const host = { instance, graph, resources: new ResourceCache({}), redactor: new Redactor([]), worker: 'freshness-test', logLevel: 'silent' as const, now: () => new Date(), random: () => 0.5 };
    daemon = new Daemon(instance, new InProcessLauncher(host), {
      limits: { tagLimits: [] },
      queueIntervalMs: 50,
      monitorIntervalMs: 500,
      scheduler: { graph, schedules: [] },
      alerts: { graph, alerts: [sla], env, dashboardUrl: undefined, pollMs: 100 },
      freshness: { env, intervalMs: 200 },
    });
    await daemon.start();
  }, 60_000);
  afterAll(async () => {
    release();
    await daemon?.stop();
    await receiver.stop();
    await instance?.close();
  });

  it('a deadline passing while the run is still going raises its FAIL before the run ends, then one recovery; yesterday\'s missed deadline only recorded', async () => {
    // Checked before any run: yesterday's tick was missed too, but before this store ever checked: recorded, not alerted.
    const first = await until('a first verdict', async () => (await instance.freshness.listFreshnessStates(['publish']))[0]);
    expect(first).toMatchObject({ kind: 'deadline', partitionKey: '', level: 'FAIL' });
    expect(first.deadline!.getTime()).toBe(deadline.at.getTime() - 86_400_000);
    const run = await launchRun({ instance, graph }, { selection: 'key:publish', trigger: 'test', now: new Date() });
    daemon.wake();
    await until('publish running', async () => (await instance.runs.listSteps(run.id)).some((s) => s.key === 'publish' && s.status === 'RUNNING'));
    const fail = await until('the FAIL alert', () => posts('publish').find((p) => p.detail.level === 'FAIL'));
    // The run is still going when the violation arrives.
    expect((await instance.runs.getRun(run.id))?.status).toBe('STARTED');
    expect(fail.idempotencyKey).toBe(`sla:webhook:SLA_URL:freshness_violation:deadline:publish::${deadline.at.toISOString()}:FAIL`);
    release();
    await until('the run ends', async () => (await instance.runs.getRun(run.id))?.status === 'SUCCESS');
    await until('the recovery alert', () => posts('publish').find((p) => p.detail.level === 'PASS'));
    await new Promise((r) => setTimeout(r, 1000)); // more passes: nothing is sent twice
    expect(posts('publish').map((p) => [p.detail.level, p.detail.recovers ?? null])).toEqual([
      ['FAIL', null],
      ['PASS', `deadline:publish::${deadline.at.toISOString()}:FAIL`],
    ]);
    const history = await instance.freshness.freshnessResults('publish');
    expect(history.map((r) => r.level)).toEqual(['PASS', 'FAIL', 'FAIL']);
    expect(history[0]!.summary).toMatch(/^a materialization by .*: landed \d+ min late$/);
  });

  it('a lag goes WARN then FAIL, each alerted once, and recovers when the asset is materialized again', async () => {
    const materialize = async () => {
      const run = await launchRun({ instance, graph }, { selection: 'key:lagging', trigger: 'test', now: new Date() });
      daemon.wake();
      await until('lagging materialized', async () => (await instance.runs.getRun(run.id))?.status === 'SUCCESS');
    };
    await materialize();
    await until('the lag FAIL alert', () => posts('lagging').find((p) => p.detail.level === 'FAIL'));
    await materialize();
    await until('the lag recovery', () => posts('lagging').find((p) => p.detail.level === 'PASS'));
    expect(posts('lagging').map((p) => [p.detail.kind, p.detail.level])).toEqual([
      ['freshness', 'WARN'],
      ['freshness', 'FAIL'],
      ['freshness', 'PASS'],
    ]);
    const [state] = await instance.freshness.listFreshnessStates(['lagging']);
    expect(state).toMatchObject({ kind: 'freshness', level: 'PASS', violationKey: null });
  });

  it('two checkers seeing the same violation at once write it, and its alert, once', async () => {
    const twice = defineAsset({ key: 'twice', deadline: { cron: '0 6 * * *', timezone: 'UTC' }, materialize: () => undefined });
    const own = graphOf([twice]);
    const env = { SLA_URL: 'http://127.0.0.1:9/unused' };
    const pass = (now: Date) => runFreshnessPass({ instance, graph: own, alerts: [sla], env, now });
    // The first check (a deadline missed before it: recorded, not alerted).
    expect((await pass(new Date('2031-05-01T12:00:00Z'))).deliveries).toBe(0);
    const [a, b] = await Promise.all([pass(new Date('2031-05-02T06:00:01Z')), pass(new Date('2031-05-02T06:00:01Z'))]);
    expect([a.changes.length, b.changes.length].sort()).toEqual([0, 1]);
    expect(a.deliveries + b.deliveries).toBe(1);
    const keys = (await instance.alerts.listDeliveries({ alert: 'sla', limit: 1000 })).map((d) => d.idempotencyKey).filter((k) => k.includes(':twice:'));
    expect(keys).toEqual(['sla:webhook:SLA_URL:freshness_violation:deadline:twice::2031-05-02T06:00:00.000Z:FAIL']);
  });
});
