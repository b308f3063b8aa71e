import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineAlert, webhook } from '../../src/index.js';
import { runAlertFeedPass } from '../../src/execution/alerts/alert-feed-pass.js';
import { deliverDueAlerts } from '../../src/execution/alerts/deliver-alerts.js';
import { openInstance } from '../../src/storage/index.js';
import type { Instance } from '../../src/storage/instance.js';
import { graphOf, noop } from '../fixtures/graph.js';
import { assetStep, newRun } from '../storage/fixtures.js';
import { HttpReceiver } from './alert-receivers.js';

const url = process.env.SLUICE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `sluice_alerts_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
const SENDER = fileURLToPath(new URL('./fixtures/alert-sender.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));

async function waitFor(what: string, test: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a sender SIGKILLed between sending and recording (Postgres, a real process)', () => {
  let instance: Instance;
  const receiver = new HttpReceiver();
  const alert = defineAlert({ name: 'crash', on: ['run_failure'], channels: [webhook({ urlEnv: 'HOOK_URL' })] });
  const graph = graphOf([noop('publish')]);

  beforeAll(async () => {
    instance = await openInstance({ kind: 'postgres', connectionString: url, schema });
    await receiver.start();
  }, 60_000);

  afterAll(async () => {
    await receiver.stop();
    await instance?.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`).finally(() => client.end());
  });

  it('the alert is sent again once after the claim expires, with the same key, and recorded SENT once', async () => {
    const env = { HOOK_URL: `http://127.0.0.1:${receiver.port}/hook` };
    const feed = () => runAlertFeedPass({ alerts: instance.alerts, watermark: instance.sensors, graph, definitions: [alert], env, now: () => new Date() });
    await feed();
    const run = newRun([assetStep('publish')]);
    await instance.runs.createRun(run);
    await instance.runs.setRunStatus(run.id, 'STARTED', new Date());
    await instance.runs.setRunStatus(run.id, 'FAILURE', new Date(), { name: 'Error', message: 'boom' });
    await waitFor('the delivery to be written', async () => (await feed()).written === 1 || (await instance.alerts.listDeliveries({ limit: 10 })).length === 1);
    const [delivery] = await instance.alerts.listDeliveries({ limit: 10 });
    expect(delivery).toMatchObject({ status: 'PENDING', attempts: 0, alert: 'crash' });

    receiver.hold = true;
    const child = spawn(process.execPath, ['--import', 'tsx', SENDER], { cwd: REPO, env: { ...process.env, ...env, STORE_URL: url, STORE_SCHEMA: schema }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await waitFor(`the sender's message to arrive (sender output: ${output})`, () => receiver.posts.length === 1);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(output).not.toContain('recorded');
    receiver.hold = false;
    for (const h of receiver.held.splice(0)) h.end();
    // The row is still claimed by the dead sender, with no attempt recorded.
    expect(await instance.alerts.getDelivery(delivery!.id)).toMatchObject({ status: 'PENDING', attempts: 0, claimedBy: 'dying-sender' });
    const survivor = () => deliverDueAlerts({ alerts: instance.alerts, definitions: [alert], env, claimedBy: 'survivor', now: () => new Date(), dashboardUrl: undefined });
    await waitFor('the claim to expire and the survivor to send', async () => (await survivor()) > 0);
    await survivor();
    expect(receiver.posts).toHaveLength(2);
    expect(receiver.posts[1]!.headers['x-sluice-idempotency-key']).toBe(receiver.posts[0]!.headers['x-sluice-idempotency-key']);
    expect(receiver.posts[0]!.body).toBe(receiver.posts[1]!.body);
    expect(await instance.alerts.getDelivery(delivery!.id)).toMatchObject({ status: 'SENT', attempts: 1, claimedBy: null });
    expect((await instance.alerts.listDeliveryAttempts(delivery!.id)).map((a) => a.ok)).toEqual([true]);
  }, 120_000);
});
