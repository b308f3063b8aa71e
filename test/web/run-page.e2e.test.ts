import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor } from '../../src/core/redactor.js';
import { InProcessLauncher } from '../../src/execution/in-process/in-process-launcher.js';
import { ResourceCache } from '../../src/execution/resource-cache.js';
import type { Instance } from '../../src/storage/instance.js';
import { openInstance } from '../../src/storage/index.js';
import { resolveWebBinding } from '../../src/web/web-binding.js';
import { startWebServer, type WebServer } from '../../src/web/web-server.js';
import { graphOf } from '../fixtures/graph.js';
import { syntheticRun } from '../fixtures/synthetic-run.js';
import { openBrowser } from './browser.js';
import { withRuns } from '../fixtures/served-api.js';

/**
 * The run page of a 5,000-step run in progress, in headless Chromium: the run's steps are written
 * straight through the storage API (no executor), the real dashboard server streams them, and the
 * page must keep only the rows in view in the DOM and follow the steps without reloading.
 */
const STEPS = 5000;
/** Far below the run's size: a screenful of rows plus the overscan, whatever the run's length. */
const MAX_DOM_ROWS = 120;
const RUN_ID = '00000000-0000-4000-8000-000000005000';
let instance: Instance;
let launcher: InProcessLauncher;
let web: WebServer;
let browser: Awaited<ReturnType<typeof openBrowser>>;
let page: Page;
let run: Awaited<ReturnType<typeof syntheticRun>>;
const pageErrors: string[] = [];
const summaryReads: string[] = [];

beforeAll(async () => {
  instance = await openInstance({ kind: 'pglite', dataDir: undefined });
  const graph = graphOf([]);
  launcher = new InProcessLauncher({ instance, graph, resources: new ResourceCache({}), redactor: new Redactor([]), worker: 'run-page-test', logLevel: 'silent', now: () => new Date(), random: () => 0.5 });
  web = await startWebServer({
    api: withRuns({ instance, graph, launcher, onQueued: () => {} }),
    binding: resolveWebBinding({ host: '127.0.0.1', port: 0, token: undefined }),
    metrics: { heartbeatTimeoutMs: 15_000 },
  });
  run = await syntheticRun(instance, RUN_ID, STEPS, { checkEvery: 20 });
  // The first 100 steps ran (each with a few log lines), the next 20 run now.
  for (const key of run.keys.slice(0, 100)) {
    await run.start(key);
    await run.log(key, 12);
    await run.finish(key);
  }
  for (const key of run.keys.slice(100, 120)) await run.start(key);
  browser = await openBrowser();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('request', (req) => {
    if (new URL(req.url()).pathname === `/api/runs/${RUN_ID}`) summaryReads.push(req.url());
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await launcher?.close();
  await instance?.close();
});

const rowCount = (selector: string) => page.$$eval(selector, (rows) => rows.length);
const status = (key: string) => page.getAttribute(`#gantt .gantt-row[data-step="${key}"]`, 'data-status');

describe('the run page of a 5,000-step run in progress', () => {
  it('renders the first steps and the log\u2019s newest lines with a bounded number of rows in the DOM', async () => {
    await page.goto(`${web.url}/#/runs/${RUN_ID}`);
    await page.waitForSelector('#gantt .gantt-row[data-step="s0000"][data-status="SUCCEEDED"]', { timeout: 60_000 });
    await page.waitForSelector('#event-log[data-state="ready"] tbody tr');
    expect(await page.textContent('#run-header .chip')).toBe('STARTED');
    const ganttRows = await rowCount('#gantt .gantt-row');
    expect(ganttRows).toBeGreaterThan(10);
    expect(ganttRows).toBeLessThanOrEqual(MAX_DOM_ROWS);
    const logRows = await rowCount('#event-log tbody tr');
    expect(logRows).toBeGreaterThan(10);
    expect(logRows).toBeLessThanOrEqual(MAX_DOM_ROWS);
    // The log holds its newest page (the run has ~1,300 events), and says that older lines exist.
    expect(await page.textContent('#log-count')).toBe('500 lines loaded, older lines not loaded');
    expect(await page.isVisible('#log-older')).toBe(true);
    // The timeline is as tall as every step together, though only a window of rows exists.
    expect(await page.$eval('#gantt', (el) => el.scrollHeight)).toBeGreaterThan(STEPS * 20);
    // Row 100 is out of view until scrolled to; then it is there, running.
    expect(await rowCount('#gantt .gantt-row[data-step="s0100"]')).toBe(0);
    await page.$eval('#gantt', (el) => (el.scrollTop = 95 * 24));
    await page.waitForSelector('#gantt .gantt-row[data-step="s0100"][data-status="RUNNING"]');
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
  });

  it('shows the last steps when the timeline is scrolled to its bottom, still with a bounded number of rows', async () => {
    await page.$eval('#gantt', (el) => (el.scrollTop = el.scrollHeight));
    await page.waitForSelector('#gantt .gantt-row[data-step="s4999#quality"]');
    expect(await status('s4998')).toBe('PENDING');
    expect(await page.$$eval('#gantt .gantt-row[data-step="s0000"]', (rows) => rows.length)).toBe(0);
    expect(await rowCount('#gantt .gantt-row')).toBeLessThanOrEqual(MAX_DOM_ROWS);
  });

  it('moves a step\u2019s row when it starts and finishes while the page is open, without reading the run again', async () => {
    const reads = summaryReads.length;
    await run.start('s4998');
    await page.waitForSelector('#gantt .gantt-row[data-step="s4998"][data-status="RUNNING"]', { timeout: 30_000 });
    await run.finish('s4998', 1500);
    await page.waitForSelector('#gantt .gantt-row[data-step="s4998"][data-status="SUCCEEDED"]', { timeout: 30_000 });
    expect(await page.textContent('#gantt .gantt-row[data-step="s4998"] .gantt-duration')).toBe('1.5s');
    // A step out of view finishes too: its row shows the new state once scrolled to.
    await run.finish('s0101');
    await page.waitForSelector('#event-log tbody tr[data-type="STEP_SUCCEEDED"]:last-child', { timeout: 30_000 });
    await page.waitForFunction(() => document.querySelector('#event-log tbody tr:last-child td:nth-child(2)')?.textContent === 's0101', null, { timeout: 30_000 });
    await page.$eval('#gantt', (el) => (el.scrollTop = 95 * 24));
    await page.waitForSelector('#gantt .gantt-row[data-step="s0101"][data-status="SUCCEEDED"]');
    expect(await status('s0102')).toBe('RUNNING');
    expect(summaryReads.length).toBe(reads);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  });

  it('loads older log lines on demand, keeping the DOM bounded, and reaches the run\u2019s first event', async () => {
    for (let page_ = 0; page_ < 3 && (await page.isVisible('#log-older')); page_++) {
      const before = await page.textContent('#log-count');
      await page.click('#log-older');
      await page.waitForFunction((text) => document.querySelector('#log-count')?.textContent !== text, before);
    }
    expect(await page.isVisible('#log-older')).toBe(false);
    expect(await page.textContent('#log-count')).toMatch(/^\d+ lines loaded$/);
    expect(await rowCount('#event-log tbody tr')).toBeLessThanOrEqual(MAX_DOM_ROWS);
    await page.$eval('.log-viewport', (el) => (el.scrollTop = 0));
    await page.waitForSelector('#event-log tbody tr:first-child[data-type="RUN_QUEUED"]');
    expect(await rowCount('#event-log tbody tr')).toBeLessThanOrEqual(MAX_DOM_ROWS);
  });

  it('narrows the log to one step through the server and reads the run again when it ends', async () => {
    await page.click('#gantt .gantt-row[data-step="s0097"] .step-label');
    await page.waitForSelector('#event-log[data-state="ready"]');
    await page.waitForFunction(() => document.querySelectorAll('#event-log tbody tr').length === 14);
    expect(new Set(await page.$$eval('#event-log tbody tr td:nth-child(2)', (cells) => cells.map((c) => c.textContent)))).toEqual(new Set(['s0097']));
    const reads = summaryReads.length;
    await instance.runs.setRunStatus(RUN_ID, 'FAILURE', new Date(), { name: 'Error', message: 'stopped by the test' });
    await page.waitForFunction(() => document.querySelector('#run-header .chip')?.textContent === 'FAILURE', null, { timeout: 30_000 });
    expect(summaryReads.length).toBeGreaterThan(reads);
    expect(await page.isVisible('#reexecute')).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
