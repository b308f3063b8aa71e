import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineAlert, email, slack, webhook } from '../../src/index.js';
import { AlertLoop } from '../../src/daemon/alert-loop.js';
import { alertMessage } from '../../src/execution/alerts/deliver-alerts.js';
import { runAlertFeedPass } from '../../src/execution/alerts/alert-feed-pass.js';
import { sendAlert } from '../../src/execution/alerts/send-alert.js';
import { Redactor } from '../../src/core/redactor.js';
import { openInstance } from '../../src/storage/index.js';
import type { Instance } from '../../src/storage/instance.js';
import { graphOf, noop } from '../fixtures/graph.js';
import { assetStep, failed, fresh, newRun } from '../storage/fixtures.js';
import { HttpReceiver, SmtpReceiver } from './alert-receivers.js';
import { SluiceMetrics } from '../../src/web/metrics.js';

const SECRET = 'whsec-7f3a9c1e5b2d8f40';
const TOKEN = 'T0KEN-slack-91b2c3d4e5';
const SMTP_PASSWORD = 'smtp-pa55-8c7d6e5f';

describe('alert loop (outbox, real HTTP and SMTP receivers)', () => {
  let instance: Instance;
  let hook: HttpReceiver;
  let slackHook: HttpReceiver;
  let smtp: SmtpReceiver;
  let env: Record<string, string>;
  let clock = new Date('2031-01-01T06:00:00Z');
  const now = () => clock;
  const logged: unknown[] = [];
  const log = { error: (fields: Record<string, unknown>, msg: string) => logged.push({ fields, msg }) };
  const graph = graphOf([noop('raw'), noop('publish', ['raw'], { group: 'promotion' })]);
  const onFailure = defineAlert({
    name: 'promotion-failed',
    on: ['run_failure', 'step_failure'],
    select: 'group:promotion',
    channels: [webhook({ urlEnv: 'HOOK_URL', secretEnv: 'HOOK_SECRET' }), slack({ webhookUrlEnv: 'SLACK_URL' }), email({ to: 'ops@example.com', smtpUrlEnv: 'SMTP_URL', from: 'Sluice alerts <alerts@example.com>' })],
  });
  const unselected = defineAlert({ name: 'other-group', on: ['run_failure'], select: 'raw', channels: [webhook({ urlEnv: 'HOOK_URL' })] });
  const inactive = defineAlert({ name: 'pager', on: ['run_failure'], channels: [webhook({ urlEnv: 'PAGER_URL_UNSET' })] });
  const loop = (claimedBy: string, retry = { maxAttempts: 3, maxAgeMs: 3_600_000, baseDelayMs: 60_000, maxDelayMs: 600_000 }) =>
    new AlertLoop({
      instance,
      graph,
      alerts: [onFailure, unselected, inactive],
      env,
      claimedBy,
      now,
      dashboardUrl: 'http://dash.example:3000',
      retry,
      log,
      redactor: new Redactor([]),
    });

  /** A run of `publish` whose step fails for good, then the run fails: returns its id. */
  const failRun = async (asset = 'publish'): Promise<string> => {
    const run = newRun([assetStep(asset)]);
    await instance.runs.createRun(run);
    await instance.runs.setRunStatus(run.id, 'STARTED', clock);
    await instance.runs.startStep(run.id, asset, 1, clock, 'w1');
    await instance.runs.finishStep(run.id, asset, failed(1, { at: clock }));
    await instance.runs.setRunStatus(run.id, 'FAILURE', clock, { name: 'Error', message: 'boom' });
    return run.id;
  };
  const forRun = <T extends { body: string }>(posts: T[], runId: string) => posts.filter((p) => p.body.includes(runId));

  beforeAll(async () => {
    instance = await openInstance({ kind: 'pglite', dataDir: undefined });
    hook = await new HttpReceiver().start();
    slackHook = await new HttpReceiver().start();
    smtp = await new SmtpReceiver('alerts', SMTP_PASSWORD).start();
    env = {
      HOOK_URL: `http://127.0.0.1:${hook.port}/hook`,
      HOOK_SECRET: SECRET,
      SLACK_URL: `http://127.0.0.1:${slackHook.port}/services/${TOKEN}`,
      SMTP_URL: `smtp://alerts:${SMTP_PASSWORD}@127.0.0.1:${smtp.port}`,
    };
    // The first pass starts the feed at the newest event: what happened before raises nothing.
    await failRun();
    await loop('d0').pass();
  }, 60_000);

  afterAll(async () => {
    await Promise.all([hook?.stop(), slackHook?.stop(), smtp?.stop()]);
    await instance?.close();
  });

  it('a failed run sends exactly one signed webhook, one Slack post and one email per event, even with two daemons passing at once', async () => {
    expect(hook.posts).toEqual([]);
    const runId = await failRun();
    await Promise.all([loop('d1').pass(), loop('d2').pass()]);
    await loop('d1').pass();
    const hooks = forRun(hook.posts, runId);
    expect(hooks.map((p) => JSON.parse(p.body).event).sort()).toEqual(['run_failure', 'step_failure']);
    for (const post of hooks) {
      expect(post.headers['x-sluice-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(post.body).digest('hex')}`);
      const body = JSON.parse(post.body);
      expect(post.headers['x-sluice-idempotency-key']).toBe(body.idempotencyKey);
      expect(body).toMatchObject({ alert: 'promotion-failed', runId, runUrl: `http://dash.example:3000/#/runs/${runId}`, test: false });
    }
    expect(JSON.parse(hooks.find((p) => JSON.parse(p.body).event === 'run_failure')!.body).idempotencyKey).toBe(`promotion-failed:webhook:HOOK_URL:run_failure:${runId}`);
    const slacks = slackHook.posts.filter((p) => p.headers['x-sluice-idempotency-key']?.includes(runId));
    expect(slacks).toHaveLength(2);
    expect(slacks.map((p) => JSON.parse(p.body).text).sort()[0]).toMatch(new RegExp(`^\\[sluice\\] promotion-failed: run failed \\(run ${runId.slice(0, 8)}\\) <http://dash.example:3000/#/runs/${runId}\\|Open the run>$`));
    const mails = smtp.mails.filter((m) => m.raw.includes(runId));
    expect(mails).toHaveLength(2);
    expect(mails.every((m) => m.user === 'alerts' && m.to.join() === 'ops@example.com' && m.from === 'alerts@example.com')).toBe(true);
    expect(mails.map((m) => /Subject: (.*)/.exec(m.raw.replace(/\r\n[ \t]+/g, ' '))![1]).sort()).toEqual([`[sluice] promotion-failed: run failed (run ${runId.slice(0, 8)})`, `[sluice] promotion-failed: step failed after its retries (run ${runId.slice(0, 8)}, step publish)`]);
    const rows = (await instance.alerts.listDeliveries({ limit: 1000 })).filter((d) => d.payload.runId === runId);
    expect(rows.map((d) => [d.alert, d.channel, d.status, d.attempts]).sort()).toEqual(
      [
        ['promotion-failed', 'email:SMTP_URL', 'SENT', 1],
        ['promotion-failed', 'email:SMTP_URL', 'SENT', 1],
        ['promotion-failed', 'slack:SLACK_URL', 'SENT', 1],
        ['promotion-failed', 'slack:SLACK_URL', 'SENT', 1],
        ['promotion-failed', 'webhook:HOOK_URL', 'SENT', 1],
        ['promotion-failed', 'webhook:HOOK_URL', 'SENT', 1],
      ].sort(),
    );
  });

  it('a run outside the alert\'s selection and a channel whose env is unset produce no delivery', async () => {
    const runId = await failRun('raw');
    await loop('d1').pass();
    const rows = (await instance.alerts.listDeliveries({ limit: 1000 })).filter((d) => d.payload.runId === runId);
    // `other-group` selects raw; `promotion-failed` selects group:promotion; `pager` has no PAGER_URL_UNSET.
    expect(rows.map((d) => [d.alert, d.eventType])).toEqual([['other-group', 'run_failure']]);
    expect(forRun(hook.posts, runId)).toHaveLength(1);
  });

  it('a receiver that is down gets the alert after it comes back, once; a channel that keeps failing ends FAILED and shown', async () => {
    const port = hook.port;
    await hook.stop();
    slackHook.status = () => 503;
    const runId = await failRun();
    await loop('d1').pass();
    let rows = (await instance.alerts.listDeliveries({ limit: 1000 })).filter((d) => d.payload.runId === runId && d.eventType === 'run_failure');
    const byChannel = (channel: string) => rows.find((d) => d.channel === channel)!;
    expect(byChannel('webhook:HOOK_URL')).toMatchObject({ status: 'PENDING', attempts: 1, lastError: 'webhook HOOK_URL: request failed (ECONNREFUSED)' });
    expect(byChannel('slack:SLACK_URL')).toMatchObject({ status: 'PENDING', attempts: 1, lastError: 'slack SLACK_URL: the receiver answered HTTP 503' });
    // Not due before its backoff.
    await loop('d1').pass();
    expect((await instance.alerts.getDelivery(byChannel('webhook:HOOK_URL').id))!.attempts).toBe(1);
    await hook.start(port);
    clock = new Date(clock.getTime() + 61_000);
    await loop('d1').pass();
    clock = new Date(clock.getTime() + 121_000);
    await loop('d1').pass();
    rows = (await instance.alerts.listDeliveries({ limit: 1000 })).filter((d) => d.payload.runId === runId && d.eventType === 'run_failure');
    expect(byChannel('webhook:HOOK_URL')).toMatchObject({ status: 'SENT', attempts: 2 });
    expect(forRun(hook.posts, runId).filter((p) => JSON.parse(p.body).event === 'run_failure')).toHaveLength(1);
    expect((await instance.alerts.listDeliveryAttempts(byChannel('webhook:HOOK_URL').id)).map((a) => a.ok)).toEqual([false, true]);
    expect(byChannel('slack:SLACK_URL')).toMatchObject({ status: 'FAILED', attempts: 3, lastError: 'slack SLACK_URL: the receiver answered HTTP 503 (gave up after 3 attempts)' });
    const counts = await instance.alerts.countDeliveries();
    expect(counts.find((c) => c.channel === 'slack:SLACK_URL' && c.status === 'FAILED')).toMatchObject({ count: 2 });
    const metrics = await new SluiceMetrics({ instance, heartbeatTimeoutMs: 15_000, cacheMs: 0 }).text();
    expect(metrics).toContain('sluice_alert_deliveries{alert="promotion-failed",channel="slack:SLACK_URL",status="FAILED"} 2');
    expect(metrics).toMatch(/sluice_alert_deliveries\{alert="promotion-failed",channel="webhook:HOOK_URL",status="SENT"\} [1-9]/);
    slackHook.status = () => 200;
  });

  it('a sender that dies between sending and recording causes at most one resend, with the same key', async () => {
    const second = await failRun();
    // The dying sender: feeds, claims and sends through the real channel, and is gone before it records.
    await runAlertFeedPass({ alerts: instance.alerts, watermark: instance.sensors, graph, definitions: [onFailure, unselected, inactive], env, now });
    const claimed = (await instance.alerts.claimDueDeliveries({ claimedBy: 'dying', at: clock, ttlMs: 60_000, limit: 100 })).filter((d) => d.payload.runId === second && d.channel === 'webhook:HOOK_URL');
    expect(claimed).toHaveLength(2);
    for (const d of claimed) await sendAlert(onFailure.channels[0]!, alertMessage(d, 'http://dash.example:3000'), env);
    // While its claim lives, nobody resends.
    await loop('survivor').pass();
    expect(forRun(hook.posts, second)).toHaveLength(2);
    clock = new Date(clock.getTime() + 61_000);
    await loop('survivor').pass();
    await loop('survivor').pass();
    const got = forRun(hook.posts, second);
    expect(got).toHaveLength(4);
    const keys = got.map((p) => p.headers['x-sluice-idempotency-key']);
    expect(new Set(keys).size).toBe(2);
    for (const d of claimed) {
      expect(await instance.alerts.recordDeliveryAttempt({ id: d.id, claimedBy: 'dying', at: clock, outcome: { status: 'SENT' } })).toBe(false);
      expect(await instance.alerts.getDelivery(d.id)).toMatchObject({ status: 'SENT', attempts: 1 });
    }
  });

  it('no secret appears in any payload, header, outbox row, attempt or log', async () => {
    const secrets = [SECRET, TOKEN, SMTP_PASSWORD];
    const seen = JSON.stringify({
      hooks: hook.posts.map((p) => ({ body: p.body, headers: p.headers })),
      slack: slackHook.posts.map((p) => ({ body: p.body, headers: p.headers })),
      mails: smtp.mails.map((m) => m.raw),
      rows: await instance.alerts.listDeliveries({ limit: 10_000 }),
      attempts: await Promise.all((await instance.alerts.listDeliveries({ limit: 10_000 })).map((d) => instance.alerts.listDeliveryAttempts(d.id))),
      counts: await instance.alerts.countDeliveries(),
      logged,
    });
    expect(seen.length).toBeGreaterThan(1000);
    for (const secret of secrets) expect(seen).not.toContain(secret);
    expect(seen).toContain('ECONNREFUSED');
  });
});
