import type { ChildProcess } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, sluice, tempProject, type CliResult } from '../fixtures/cli.js';
import { openBrowser } from './browser.js';

/**
 * The dashboard end to end: a real `sluice daemon` on a copy of the example project (plus one asset
 * that waits until canceled), driven through headless Chromium. One browser and one page for the
 * whole file. With SLUICE_SCREENSHOTS=1 it also saves docs/dashboard-*.png for the README.
 */
const SCREENSHOTS = process.env.SLUICE_SCREENSHOTS === '1';
const TOKEN = 'e2e-dashboard-token-0123456789';
let daemon: ChildProcess;
let exited: Promise<CliResult>;
let url: string | undefined;
let browser: Awaited<ReturnType<typeof openBrowser>>;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  const project = tempProject({
    'assets/e2e/slow.ts': `import { defineAsset } from 'sluice';
/** Runs until its run is canceled. */
export const slow = defineAsset({ key: 'e2e/slow', group: 'e2e', materialize: (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('canceled')))) });
`,
    'schedules/e2e-sensor.ts': `import { defineSensor } from 'sluice';
/** Running from the start, finds nothing to do: its ticks are SKIPPED with a reason. */
export const inbox = defineSensor({ name: 'e2e_inbox', defaultStatus: 'RUNNING', minimumIntervalSeconds: 1, description: 'watches an empty inbox', evaluate: () => ({ skipReason: 'no new files in the inbox' }) });
`,
  });
  // The example project: its assets, schedules and dbt project (when there is one).
  for (const folder of ['assets', 'schedules', 'dbt']) {
    if (existsSync(join(REPO, folder))) cpSync(join(REPO, folder), join(project, folder), { recursive: true, filter: (src) => !src.includes(`${join(REPO, folder)}/target`) });
  }
  exited = sluice(['daemon', '--web-port', '0', '--project', project], {
    cwd: project,
    env: { SLUICE_LOG_LEVEL: 'warn', SLUICE_WEB_TOKEN: TOKEN },
    onSpawn: (child) => {
      daemon = child;
      child.stderr!.on('data', (d: Buffer) => {
        url ??= /dashboard at (http:\/\/\S+)/.exec(d.toString())?.[1] ?? undefined;
      });
    },
  });
  const [opened] = await Promise.all([
    openBrowser(),
    (async () => {
      let ended: CliResult | undefined;
      void exited.then((r) => (ended = r));
      while (!url) {
        if (ended) throw new Error(`the daemon exited (${ended.code}) before serving the dashboard: ${ended.stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    })(),
  ]);
  browser = opened;
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  daemon?.kill('SIGTERM');
  await exited;
});

async function shot(name: string) {
  if (SCREENSHOTS) await page.screenshot({ path: join(REPO, 'docs', `dashboard-${name}.png`) });
}

/** The day the example's partitioned runs materialize (a fixed past day, so reruns redo the same one). */
const DAY = '2024-10-15';

/**
 * Launches through the launch page and lands on the new run's page; returns its id. When the
 * selection holds a partitioned asset, the partition field shows (prefilled with the latest key)
 * and gets `partition` (default DAY).
 */
async function launch(selection: string, options: { config?: unknown; partition?: string } = {}): Promise<string> {
  await page.goto(`${url}/#/launch?select=${encodeURIComponent(selection)}`);
  await page.waitForSelector('#launch-count');
  if (await page.isVisible('#launch-partition')) {
    expect(await page.inputValue('#launch-partition')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await page.fill('#launch-partition', options.partition ?? DAY);
  }
  if (options.config !== undefined) {
    await page.fill('#launch-config', JSON.stringify(options.config));
    await page.waitForSelector('#launch-config-msg .ok');
  }
  await page.click('#launch-submit');
  await page.waitForURL(/#\/runs\/[0-9a-f-]{36}$/);
  return decodeURIComponent(page.url().split('#/runs/')[1]!);
}

async function runStatus(): Promise<string> {
  return (await page.textContent('#run-header .chip'))!.trim();
}

describe('dashboard in Chromium', () => {
  it('asks for the token, then opens the lineage of the example project and filters it with the selection syntax', async () => {
    await page.goto(`${url}/`);
    await page.waitForURL(/\/login\?next=/);
    await page.fill('#token', 'not-the-token');
    await page.click('button[type=submit]');
    await page.waitForSelector('.error');
    await page.fill('#token', TOKEN);
    await page.click('button[type=submit]');
    await page.waitForSelector('body[data-lineage-rendered]');
    // The example project grows; compare with what the API says rather than a fixed list.
    const api = (path: string) => page.evaluate(async (p) => (await fetch(p)).json(), path);
    const total = (await api('/api/assets')).assets.length as number;
    expect(total).toBeGreaterThanOrEqual(6);
    expect(await page.textContent('#lineage-count')).toBe(`${total} assets`);
    const upstream = (await api(`/api/selection?select=${encodeURIComponent('+key:promote_dev_to_main')}`)).keys as string[];
    expect(upstream).toEqual(expect.arrayContaining(['dev_branch', 'raw/entries', 'promote_dev_to_main']));
    expect(upstream).not.toContain('e2e/slow');
    await page.fill('#lineage-filter', '+key:promote_dev_to_main');
    await page.press('#lineage-filter', 'Enter');
    await page.waitForFunction((text) => document.querySelector('#lineage-count')?.textContent === text, `${upstream.length} of ${total} assets`);
    expect(await page.$$eval('#lineage-list a', (as) => as.map((a) => a.textContent))).toEqual(upstream);
    await page.fill('#lineage-filter', 'gruop:x');
    await page.press('#lineage-filter', 'Enter');
    await page.waitForSelector('#lineage-msg .error');
    expect(await page.textContent('#lineage-msg')).toContain('SELECTION_SYNTAX');
    await page.click('#lineage-list a[data-key="raw/entries"]');
    await page.waitForSelector('#materialize');
    expect(await page.textContent('.asset-page h1')).toBe('raw/entries');
    await page.click('text=Show in lineage');
    await page.waitForFunction(() => /^\d+ of \d+ assets$/.test(document.querySelector('#lineage-count')?.textContent ?? ''));
    expect(await page.inputValue('#lineage-filter')).toBe('+key:raw/entries+');
  });

  it('launches a materialization and watches it finish live', async () => {
    const runId = await launch('+key:publish');
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    await page.waitForFunction(() => document.querySelector('#run-header .chip')?.textContent === 'SUCCESS', null, { timeout: 60_000 });
    // The log came over SSE, up to the run's end.
    await page.waitForSelector('#event-log tr[data-type="RUN_SUCCESS"]');
    const statuses = await page.$$eval('#gantt .gantt-row', (rows) => rows.map((r) => (r as HTMLElement).dataset.status));
    expect(statuses.length).toBeGreaterThanOrEqual(7);
    expect(new Set(statuses)).toEqual(new Set(['SUCCEEDED']));
    expect(await page.textContent('#run-partition')).toBe(DAY);
    await page.goto(`${url}/`);
    await page.waitForSelector('body[data-lineage-rendered]');
    await page.waitForFunction(() => document.querySelector('#lineage-list a[data-key="publish"]')?.parentElement?.textContent?.includes('fresh'));
    await shot('lineage');
  });

  it('opens a run whose blocking check failed and shows the check\u2019s details', async () => {
    await launch('+key:publish', { config: { 'raw/entries': { badRowShare: 0.1 } } });
    await page.waitForFunction(() => document.querySelector('#run-header .chip')?.textContent === 'FAILURE', null, { timeout: 60_000 });
    await page.waitForSelector('#check-results tr[data-check="raw/entries#valid_readings"]');
    const row = await page.textContent('#check-results tr[data-check="raw/entries#valid_readings"]');
    expect(row).toMatch(new RegExp(`failed.*ERROR, blocking.*rows of ${DAY} invalid \\(\\d+\\.\\d+%, limit 1%\\).*invalid_rows`, 's'));
    expect(await page.getAttribute('#gantt .gantt-row[data-step="promote_dev_to_main"]', 'data-status')).toBe('SKIPPED');
    // The step's events come from the server (events?step=): the log is ready again once they are in.
    await page.selectOption('#log-step', 'raw/entries#valid_readings');
    await page.waitForSelector('#event-log[data-state="ready"]');
    expect(await page.$$eval('#event-log tbody tr', (rows) => rows.map((r) => (r as HTMLElement).dataset.type))).toEqual(['STEP_STARTED', 'CHECK_EVALUATION', 'STEP_FAILED']);
    await page.selectOption('#log-step', '');
    await shot('run');
    await page.click('#reexecute');
    await page.waitForSelector('#run-header a[href^="#/runs/"]');
    expect(await page.textContent('#run-header')).toContain('re-executes');
  });

  it('shows a partitioned asset\u2019s partitions grid, materializes two missing days as a backfill and follows it to the end', async () => {
    // An observation reported from outside (metadata, no materialization) is listed on the asset page.
    const observed = await fetch(`${url}/api/assets/raw%2Fentries/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'observation', partition: '2024-10-09', metadata: { upstreamRows: 4242 } }),
    });
    expect(observed.status).toBe(201);
    await page.goto(`${url}/#/assets/raw/entries`);
    await page.waitForSelector('#partition-grid .pcell');
    expect(await page.$$eval('#observations tbody tr', (rows) => rows.map((r) => [r.children[2]?.textContent, r.children[3]?.textContent?.includes('4242')]))).toEqual([['2024-10-09', true]]);
    // The Automation panel asks the API for the asset's latest evaluation: the example automates nothing.
    expect(await page.textContent('#automation')).toContain('no automation evaluation kept');
    const view = await page.evaluate(async () => (await fetch('/api/assets/raw%2Fentries/partitions')).json());
    expect(await page.$$eval('#partition-grid .pcell', (cells) => cells.length)).toBe(view.partitions.length);
    expect(await page.getAttribute('#partition-grid .pcell:first-child', 'data-key')).toBe(view.partitions[0].key);
    expect(await page.textContent('#partition-counts [data-state="missing"] b')).toBe(String(view.counts.missing));
    await page.click(`#partition-grid .pcell[data-key="${DAY}"]`);
    expect(await page.getAttribute('#partition-detail #partition-run', 'href')).toMatch(/^#\/runs\//);
    await page.fill('#partitions-from', '2024-10-02');
    await page.fill('#partitions-to', '2024-10-03');
    await page.click('#materialize-missing');
    await page.waitForURL(/#\/backfills\/[0-9a-f-]{36}$/);
    const backfillId = decodeURIComponent(page.url().split('#/backfills/')[1]!);
    await page.waitForSelector('#backfill-grid .pcell');
    expect(await page.$$eval('#backfill-grid .pcell', (cells) => cells.map((c) => (c as HTMLElement).dataset.key))).toEqual(['2024-10-02', '2024-10-03']);
    // The page polls the backfill while it runs; the daemon's monitor settles it once its runs end.
    await page.waitForFunction(() => document.querySelector('#backfill-header .chip')?.textContent === 'COMPLETED', null, { timeout: 30_000 });
    expect(await page.textContent('#backfill-counts [data-state="done"] b')).toBe('2');
    expect(await page.$$eval('#backfill-runs-table tbody tr', (rows) => rows.map((r) => [r.children[1]?.textContent, r.children[2]?.textContent]))).toEqual([
      ['2024-10-02', 'done'],
      ['2024-10-03', 'done'],
    ]);
    await page.click('#backfill-grid .pcell[data-key="2024-10-03"]');
    expect(await page.textContent('#backfill-partition')).toMatch(/^2024-10-03\s*done · run .+-2$/);
    await shot('backfill');
    await page.click('#backfill-runs-table tbody tr:first-child a');
    await page.waitForSelector('#run-partition');
    expect(await page.textContent('#run-partition')).toBe('2024-10-02');
    await page.goto(`${url}/#/runs?backfill=${backfillId}`);
    await page.waitForFunction(() => document.querySelectorAll('#runs-table tbody tr[data-run-id]').length === 2);
    // The partition column is the server's `partition` of each run.
    expect((await page.$$eval('#runs-table tbody tr[data-run-id] td:nth-child(4)', (cells) => cells.map((c) => c.textContent))).sort()).toEqual(['2024-10-02', '2024-10-03']);
    await page.goto(`${url}/#/backfills`);
    await page.waitForSelector(`#backfills-table tr[data-backfill-id="${backfillId}"][data-status="COMPLETED"]`);
  });

  it('shows a sensor with its status and ticks, and stops it', async () => {
    await page.goto(`${url}/#/sensors`);
    const row = '#sensors-table tr[data-sensor="e2e_inbox"]';
    await page.waitForSelector(row);
    // RUNNING by its definition's default (stored once the daemon's loop has seen it).
    expect(await page.textContent(`${row} td:nth-child(3)`)).toMatch(/^RUNNING( \(default\))?$/);
    // The daemon's sensor loop ticks it within its interval: reload until its last tick shows.
    for (let i = 0; i < 60 && !(await page.textContent(`${row} td:nth-child(6)`))?.includes('SKIPPED'); i++) {
      await page.waitForTimeout(500);
      await page.reload();
      await page.waitForSelector(row);
    }
    expect(await page.textContent(`${row} td:nth-child(6)`)).toContain('SKIPPED');
    await page.click(`${row} td:nth-child(1) button`);
    await page.waitForSelector('#sensor-ticks tr[data-tick]');
    expect(await page.textContent('#sensor-ticks tr[data-tick] td:nth-child(4)')).toBe('no new files in the inbox');
    await page.click(`${row} button[data-sensor="e2e_inbox"]`);
    await page.waitForFunction((selector) => document.querySelector(`${selector} td:nth-child(3)`)?.textContent === 'STOPPED', row);
  });

  it('opens the alerts page from the nav: the example project\'s policy, its events and channels (variable names only), none active here', async () => {
    await page.click('nav a[data-nav=alerts]');
    const row = '#alert-policies tr[data-alert="promotion_failed"]';
    await page.waitForSelector(row);
    expect(await page.$$eval(`${row} .tag`, (tags) => tags.map((t) => t.textContent))).toEqual(['run_failure', 'step_failure', 'check_failure', 'tick_failure', 'schedule_late', 'run_long_running', 'freshness_violation']);
    const channels = await page.$$eval(`${row} [data-channel]`, (els) => els.map((el) => [(el as HTMLElement).dataset.channel, (el as HTMLElement).dataset.health]));
    expect(channels).toContainEqual(['webhook:SLUICE_ALERT_WEBHOOK_URL', 'idle']);
    expect(await page.textContent(row)).toContain('SLUICE_ALERT_WEBHOOK_URL, SLUICE_ALERT_WEBHOOK_SECRET');
    await page.waitForSelector('#alert-deliveries td.muted');
    expect(await page.textContent('#alert-deliveries td.muted')).toBe('no deliveries');
  });

  it('shows publish\u2019s 06:30 London deadline on its asset page, met once the pipeline ran (the daemon checks it)', async () => {
    await page.goto(`${url}/#/assets/publish`);
    await page.waitForSelector('#freshness');
    expect(await page.textContent('#freshness p')).toBe('deadline 30 6 * * * Europe/London (WARN 15 min before)');
    // The daemon's freshness loop checks every 5 s: reload until the verdict after the run above shows.
    const current = '#freshness-current tbody tr';
    for (let i = 0; i < 60 && !(await page.textContent('#freshness').catch(() => ''))?.match(/deadline.*PASS/s); i++) {
      await page.waitForTimeout(500);
      await page.reload();
      await page.waitForSelector('#freshness');
    }
    expect(await page.$$eval(current, (rows) => rows.map((r) => [...r.querySelectorAll('td')].slice(1, 4).map((td) => td.textContent)))).toEqual([['deadline', '—', 'PASS']]);
  });

  it('cancels a running run', async () => {
    await launch('key:e2e/slow');
    await page.waitForSelector('#gantt .gantt-row[data-status="RUNNING"]', { timeout: 30_000 });
    expect(await runStatus()).toBe('STARTED');
    await page.click('#cancel-run');
    await page.waitForFunction(() => document.querySelector('#run-header .chip')?.textContent === 'CANCELED', null, { timeout: 30_000 });
    await page.waitForSelector('#event-log tr[data-type="RUN_CANCELED"]');
    await page.goto(`${url}/#/runs?status=CANCELED`);
    await page.waitForSelector('#runs-table tbody tr[data-run-id]');
    expect(pageErrors).toEqual([]);
  });
});
