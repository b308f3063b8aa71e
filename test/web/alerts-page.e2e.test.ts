import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineAlert, defineAsset, email, slack, webhook } from '../../src/index.js';
import { Redactor } from '../../src/core/redactor.js';
import { AlertLoop } from '../../src/daemon/alert-loop.js';
import { runAlertFeedPass } from '../../src/execution/alerts/alert-feed-pass.js';
import { InProcessLauncher } from '../../src/execution/in-process/in-process-launcher.js';
import { resolveWebBinding } from '../../src/web/web-binding.js';
import { startWebServer, type WebServer } from '../../src/web/web-server.js';
import type { AlertFeedView } from '../../src/web/api-views.js';
import { HttpReceiver } from '../daemon/alert-receivers.js';
import { REPO } from '../fixtures/cli.js';
import { harness, type Harness } from '../fixtures/harness.js';
import { withRuns } from '../fixtures/served-api.js';
import { openBrowser } from './browser.js';

/**
 * The dashboard's alerts feed in headless Chromium, over real deliveries: real runs (an asset that
 * throws, one that succeeds) executed in process on PGlite, the alert loop sending to real local
 * HTTP receivers (one answering 200, one answering 503, tried once so it ends FAILED), and a feed
 * pass with no send (PENDING). The channels' URLs carry tokens and the webhook has a secret: none of
 * them may reach the page. With SLUICE_SCREENSHOTS=1 it also saves docs/dashboard-alerts.png.
 */
const HOOK_SECRET = 'whsec-feed-page-1f2e3d4c5b6a';
const HOOK_TOKEN = 'hooktoken-9a8b7c6d';
const SLACK_TOKEN = 'T000/B000/slacktoken-5d4c3b2a';
const okReceiver = new HttpReceiver();
const downReceiver = new HttpReceiver();
downReceiver.status = () => 503;

const raw = defineAsset({ key: 'raw', materialize: () => ({ metadata: { rows: 1 } }) });
const publish = defineAsset({ key: 'publish', group: 'promotion', deps: [raw], materialize: () => { throw new Error('promotion broke'); } });
const alerts = [
  defineAlert({ name: 'promotion_failed', description: 'the promotion pipeline failed', on: ['run_failure'], select: 'group:promotion', channels: [webhook({ urlEnv: 'HOOK_URL', secretEnv: 'HOOK_SECRET' }), slack({ webhookUrlEnv: 'SLACK_URL' })] }),
  defineAlert({ name: 'raw_loaded', on: ['run_success'], select: 'raw', channels: [webhook({ urlEnv: 'HOOK_URL' }), email({ to: 'ops@example.com', smtpUrlEnv: 'SMTP_URL_UNSET' })] }),
];

let h: Harness;
let launcher: InProcessLauncher;
let web: WebServer;
let browser: Awaited<ReturnType<typeof openBrowser>>;
let page: Page;
let env: Record<string, string>;
let failedRun: string;
let successRun: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  await Promise.all([okReceiver.start(), downReceiver.start()]);
  env = {
    HOOK_URL: `http://127.0.0.1:${okReceiver.port}/hooks/${HOOK_TOKEN}`,
    HOOK_SECRET,
    SLACK_URL: `http://127.0.0.1:${downReceiver.port}/services/${SLACK_TOKEN}`,
  };
  h = await harness([raw, publish]);
  // The API's run port needs a launcher (for cancels); the runs here are executed by the harness.
  launcher = new InProcessLauncher({ instance: h.instance, graph: h.graph, resources: h.resources, redactor: new Redactor([]), worker: 'alerts-page', logLevel: 'silent', now: () => new Date(), random: () => 0.5 });
  const loop = new AlertLoop({ instance: h.instance, graph: h.graph, alerts, env, claimedBy: 'alerts-page', now: () => new Date(), dashboardUrl: undefined, retry: { maxAttempts: 1, maxAgeMs: 86_400_000, baseDelayMs: 1000, maxDelayMs: 1000 } });
  await loop.pass(); // starts the feed at the newest event
  failedRun = (await h.materialize('publish')).id;
  await loop.pass(); // the failure: sent through the webhook, given up through Slack (503, one attempt)
  successRun = (await h.materialize('raw')).id;
  await runAlertFeedPass({ alerts: h.instance.alerts, watermark: h.instance.sensors, graph: h.graph, definitions: alerts, env, now: () => new Date() }); // queued, never sent
  web = await startWebServer({
    api: { ...withRuns({ instance: h.instance, graph: h.graph, launcher, onQueued: () => {} }), alerts },
    binding: resolveWebBinding({ host: '127.0.0.1', port: 0, token: undefined }),
    metrics: { heartbeatTimeoutMs: 15_000 },
  });
  browser = await openBrowser();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await launcher?.close();
  await h?.close();
  await Promise.all([okReceiver.stop(), downReceiver.stop()]);
});

const cells = (selector: string) => page.$$eval(`${selector} td`, (tds) => tds.map((td) => td.textContent?.trim() ?? ''));

describe('the alerts feed in Chromium', () => {
  it('lists a sent, a failed and a pending delivery with their run links, and each policy with its channels\' health', async () => {
    expect(okReceiver.posts).toHaveLength(1);
    expect(downReceiver.posts).toHaveLength(1);
    await page.goto(`${web.url}/#/alerts`);
    await page.waitForSelector('#alert-deliveries tr[data-status]');
    expect(await page.getAttribute('nav a[data-nav=alerts]', 'class')).toContain('active');

    const rows = await page.$$eval('#alert-deliveries tr[data-status]', (trs) => trs.map((tr) => (tr as HTMLElement).dataset.status));
    expect(rows).toEqual(['PENDING', 'FAILED', 'SENT']);
    const sent = await cells('#alert-deliveries tr[data-status=SENT]');
    expect(sent.slice(0, 6)).toEqual(['SENT', 'promotion_failed', 'webhook:HOOK_URL', 'run_failure', failedRun.slice(0, 8), '1']);
    expect(sent[6]).toBe('');
    const failed = await cells('#alert-deliveries tr[data-status=FAILED]');
    expect(failed.slice(0, 6)).toEqual(['FAILED', 'promotion_failed', 'slack:SLACK_URL', 'run_failure', failedRun.slice(0, 8), '1']);
    expect(failed[6]).toBe('slack SLACK_URL: the receiver answered HTTP 503 (gave up after 1 attempt)');
    expect(failed[8]).toBe('');
    const pending = await cells('#alert-deliveries tr[data-status=PENDING]');
    expect(pending.slice(0, 6)).toEqual(['PENDING', 'raw_loaded', 'webhook:HOOK_URL', 'run_success', successRun.slice(0, 8), '0']);
    expect(pending[8]).toMatch(/^next try /);
    expect(await page.getAttribute('#alert-deliveries tr[data-status=FAILED] a', 'href')).toBe(`#/runs/${failedRun}`);

    const health = await page.$$eval('#alert-policies [data-channel]', (els) => els.map((el) => [(el.closest('tr') as HTMLElement).dataset.alert, (el as HTMLElement).dataset.channel, (el as HTMLElement).dataset.health]));
    expect(health).toEqual([
      ['promotion_failed', 'webhook:HOOK_URL', 'ok'],
      ['promotion_failed', 'slack:SLACK_URL', 'failing'],
      ['raw_loaded', 'webhook:HOOK_URL', 'pending'],
      ['raw_loaded', 'email:SMTP_URL_UNSET', 'idle'],
    ]);
    const policy = await page.textContent('#alert-policies tr[data-alert=promotion_failed]');
    expect(policy).toContain('the promotion pipeline failed');
    expect(policy).toContain('run_failure');
    expect(policy).toContain('group:promotion');
    expect(policy).toContain('HOOK_URL, HOOK_SECRET');
    expect(policy).toContain('keeps failing');
    expect(policy).toContain('slack SLACK_URL: the receiver answered HTTP 503');
    expect(await page.textContent('#alert-policies tr[data-alert=raw_loaded]')).toContain('to ops@example.com');
    if (process.env.SLUICE_SCREENSHOTS === '1') await page.screenshot({ path: join(REPO, 'docs', 'dashboard-alerts.png') });
  });

  it('filters the deliveries by status and by alert, keeping the filter in the address', async () => {
    await page.selectOption('#alerts-status', 'FAILED');
    await page.waitForSelector('#alerts[data-filter="FAILED/"]');
    expect(await page.$$eval('#alert-deliveries tr[data-status]', (trs) => trs.map((tr) => (tr as HTMLElement).dataset.status))).toEqual(['FAILED']);
    expect(page.url()).toMatch(/#\/alerts\?status=FAILED$/);
    await page.selectOption('#alerts-status', '');
    await page.selectOption('#alerts-alert', 'raw_loaded');
    await page.waitForSelector('#alerts[data-filter="/raw_loaded"]');
    expect(await page.$$eval('#alert-deliveries tr[data-status]', (trs) => trs.map((tr) => (tr as HTMLElement).dataset.status))).toEqual(['PENDING']);
    // Reloaded from the address: the same filter.
    await page.goto(`${web.url}/#/alerts?status=SENT`);
    await page.reload();
    await page.waitForSelector('#alerts[data-filter="SENT/"]');
    expect(await page.$$eval('#alert-deliveries tr[data-status]', (trs) => trs.map((tr) => (tr as HTMLElement).dataset.status))).toEqual(['SENT']);
  });

  it('shows no channel URL, token or secret, in the page or in the API answer', async () => {
    await page.goto(`${web.url}/#/alerts`);
    await page.waitForSelector('#alert-deliveries tr[data-status=FAILED]');
    const html = await page.content();
    const api = await page.evaluate(async () => (await fetch('/api/alerts')).text());
    expect((JSON.parse(api) as AlertFeedView).deliveries).toHaveLength(3);
    for (const text of [html, api]) {
      for (const secret of [HOOK_SECRET, HOOK_TOKEN, 'slacktoken', env.HOOK_URL!, env.SLACK_URL!, `127.0.0.1:${okReceiver.port}`, `127.0.0.1:${downReceiver.port}`]) expect(text).not.toContain(secret);
    }
    expect(pageErrors).toEqual([]);
  });
});
