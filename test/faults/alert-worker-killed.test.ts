import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportAssetMaterialization } from '../../src/execution/report-asset-event.js';
import { HttpReceiver } from '../daemon/alert-receivers.js';
import { graphOf, noop } from '../fixtures/graph.js';
import { FaultCluster } from './fixtures/fault-cluster.js';
import { waitFor } from './fixtures/wait-for.js';

// Fault: the worker running a failing step is SIGKILLed right after the step's failure is committed.
// The alert comes from the committed event (the daemon's outbox feed), not from the worker: it
// arrives once, whether the victim lived to write the run's end (what usually happens: it does so
// milliseconds after the step's failure) or the daemon's monitor wrote it.
const SECRET = 'whsec-worker-killed-8f7e6d5c';

const FILES = {
  'assets/boom.ts': `
import { defineAsset } from 'sluice';
export const boom = defineAsset({ key: 'boom', group: 'promotion', materialize: () => { throw new Error('promotion broke'); } });
`,
  'schedules/alerts.ts': `
import { defineAlert, webhook } from 'sluice';
export const promotionFailed = defineAlert({ name: 'promotion_failed', on: ['run_failure', 'step_failure'], select: 'group:promotion', channels: [webhook({ urlEnv: 'HOOK_URL', secretEnv: 'HOOK_SECRET' })] });
/** Raised by a run the test reports after the first alert was recorded SENT: its arrival proves a later full pass of the alert loop. */
export const markerDone = defineAlert({ name: 'marker_done', on: ['run_success'], select: 'marker', channels: [webhook({ urlEnv: 'HOOK_URL' })] });
`,
};

interface Body {
  readonly idempotencyKey: string;
  readonly alert: string;
  readonly event: string;
  readonly runId: string | null;
  readonly stepKey: string | null;
}

describe('a worker SIGKILLed just after its step failure is committed (Postgres, Redis, real processes)', () => {
  let cluster: FaultCluster;
  const receiver = new HttpReceiver();

  beforeAll(async () => {
    await receiver.start();
    cluster = await FaultCluster.start({
      assets: [{ key: 'marker', sleepMs: 0 }],
      files: FILES,
      env: { HOOK_URL: `http://127.0.0.1:${receiver.port}/hook`, HOOK_SECRET: SECRET },
    });
  });
  afterAll(async () => {
    await cluster?.destroy();
    await receiver.stop();
  });

  it('the run failure (and the step failure) each arrive exactly once', async () => {
    const [daemon, victim] = await Promise.all([cluster.daemon(), cluster.worker('worker-1')]);
    await daemon.waitForOutput(/alert feed started/, 60_000);
    const runId = await cluster.submit('boom');

    // The failure recorded for good (no retry left): the worker is killed at once.
    const failed = await waitFor(
      'the step failure to be committed',
      async () => (await cluster.events(runId, ['STEP_FAILED'])).find((e) => (e.data as { willRetry?: boolean }).willRetry === false),
      { timeoutMs: 60_000, intervalMs: 5, context: () => cluster.diagnostics() },
    );
    const exit = await victim.kill('SIGKILL');
    expect(exit.signal).toBe('SIGKILL');
    expect((await cluster.events(runId, ['STEP_STARTED']))[0]!.data).toMatchObject({ worker: victim.workerId });
    expect(failed.data).toMatchObject({ error: { message: 'promotion broke' } });

    // The run ends FAILURE: written by the victim before it died, or by the daemon's monitor.
    expect((await cluster.waitForRunEnd(runId, 60_000)).status).toBe('FAILURE');
    const outbox = () => cluster.instance.alerts.listDeliveries({ alert: 'promotion_failed', limit: 10 });
    await waitFor('both deliveries to be recorded SENT', async () => {
      const rows = await outbox();
      return rows.length === 2 && rows.every((d) => d.status === 'SENT');
    }, { timeoutMs: 60_000, context: () => cluster.diagnostics() });

    // An event committed after that, and its alert received: a full later pass fed and sent after the SENT.
    const graph = graphOf([noop('marker')]);
    const marker = await reportAssetMaterialization({ instance: cluster.instance, graph }, { assetKey: 'marker', source: 'api', now: new Date() });
    const bodies = () => receiver.posts.map((p) => JSON.parse(p.body) as Body);
    await waitFor('the marker alert', () => bodies().some((b) => b.alert === 'marker_done' && b.runId === marker.runId), { timeoutMs: 60_000, context: () => cluster.diagnostics() });

    const received = receiver.posts.filter((p) => (JSON.parse(p.body) as Body).alert === 'promotion_failed');
    expect(received.map((p) => JSON.parse(p.body) as Body).map((b) => [b.event, b.runId, b.stepKey]).sort()).toEqual([
      ['run_failure', runId, null],
      ['step_failure', runId, 'boom'],
    ]);
    for (const post of received) {
      expect(post.headers['x-sluice-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(post.body).digest('hex')}`);
      expect(post.headers['x-sluice-idempotency-key']).toBe((JSON.parse(post.body) as Body).idempotencyKey);
      expect(post.body).not.toContain(SECRET);
    }
    expect((await outbox()).map((d) => [d.eventType, d.status, d.attempts]).sort()).toEqual([
      ['run_failure', 'SENT', 1],
      ['step_failure', 'SENT', 1],
    ]);
    expect(daemon.output).not.toContain(SECRET);
    expect(victim.alive).toBe(false);
  });
});
