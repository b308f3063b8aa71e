import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempProject } from '../fixtures/cli.js';
import { CliProcess } from '../faults/fixtures/cli-process.js';
import { openBrowser } from '../web/browser.js';

/**
 * `sluice dev` end to end: one dev process on a temp project for the whole file, its files edited
 * while it runs, observed through its output, its API and the dashboard in headless Chromium.
 */
const WAIT = 60_000;
let dir: string;
let dev: CliProcess;
let url: string;

const asset = (key: string, deps: string[] = []) => `import { defineAsset } from 'sluice';\nexport const a = defineAsset({ key: '${key}', deps: ${JSON.stringify(deps)}, materialize() {} });\n`;

/** An asset that waits until `release` exists (or its run is canceled), then reports `code`. */
const slow = (code: string, wait: boolean) => `import { existsSync } from 'node:fs';
import { defineAsset } from 'sluice';
export const slow = defineAsset({
  key: 'slow',
  async materialize(ctx) {
    while (${wait} && !existsSync(new URL('../release', import.meta.url))) {
      if (ctx.signal.aborted) throw new Error('canceled');
      await new Promise((r) => setTimeout(r, 50));
    }
    return { metadata: { code: '${code}' } };
  },
});
`;

async function get<T>(path: string): Promise<T> {
  const res = await fetch(`${url}${path}`);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

async function launch(selection: string): Promise<string> {
  const res = await fetch(`${url}/api/runs`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-sluice-csrf': '1' }, body: JSON.stringify({ selection }) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { runId: string }).runId;
}

interface RunView {
  status: string;
  steps: Array<{ key: string; status: string; materialization: { metadata: Record<string, unknown> } | null }>;
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + WAIT;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${WAIT} ms\n${dev.output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  dir = tempProject({ 'assets/base.ts': asset('base'), 'assets/slow.ts': slow('v1', true) });
  dev = new CliProcess('sluice dev', ['dev', '--web-port', '0'], { cwd: dir, env: { SLUICE_LOG_LEVEL: 'warn' } });
  url = (await dev.waitForOutput(/dashboard at (http:\/\/\S+)/, WAIT))[1]!;
  await dev.waitForOutput(/loaded generation 1 in \d+ ms: 2 assets/, WAIT);
}, 120_000);

afterAll(async () => {
  if (dev?.alive) await dev.kill('SIGKILL');
});

describe('sluice dev', () => {
  it('prints the dashboard URL and serves the project with reloads on', async () => {
    expect(dev.output).toMatch(/watching assets\/, schedules\//);
    expect(await get('/api/project')).toMatchObject({ generation: 1, reloads: true, assets: 2, failure: null });
  });

  it('picks up a new asset without a restart', { timeout: 120_000 }, async () => {
    writeFileSync(join(dir, 'assets', 'added.ts'), asset('added', ['base']));
    await dev.waitForOutput(/reloaded generation 2 after changes to assets\/added\.ts in \d+ ms: 3 assets \(\+added\)/, WAIT);
    const { assets } = await get<{ assets: Array<{ key: string; deps: string[] }> }>('/api/assets');
    expect(assets.find((a) => a.key === 'added')).toMatchObject({ deps: ['base'] });
    expect(await get('/api/project')).toMatchObject({ generation: 2, assets: 3 });
  });

  it('shows a load error in the terminal, the API and the dashboard without dying, keeps serving, and recovers', { timeout: 180_000 }, async () => {
    writeFileSync(join(dir, 'assets', 'broken.ts'), `import { defineAsset } from 'sluice';\nexport const = defineAsset(;\n`);
    await dev.waitForOutput(/load failed after changes to assets\/broken\.ts \(1 problem\); still serving generation 2/, WAIT);
    expect(dev.output).toMatch(/assets\/broken\.ts\n\s+MODULE_LOAD_FAILED: assets\/broken\.ts failed to load: /);
    const failed = await get<{ generation: number; failure: { problems: Array<{ code: string; file: string }> } | null }>('/api/project');
    expect(failed.generation).toBe(2);
    expect(failed.failure?.problems).toEqual([expect.objectContaining({ code: 'MODULE_LOAD_FAILED', file: 'assets/broken.ts' })]);
    // The last good definitions keep serving.
    expect((await get<{ assets: Array<{ key: string }> }>('/api/assets')).assets.map((a) => a.key)).toEqual(['added', 'base', 'slow']);

    const browser = await openBrowser();
    try {
      const page: Page = browser.context.pages()[0] ?? (await browser.context.newPage());
      await page.goto(url);
      const banner = page.locator('#project-banner');
      await banner.waitFor({ state: 'visible', timeout: WAIT });
      expect(await banner.textContent()).toMatch(/failed to load.*still serving generation 2.*assets\/broken\.ts.*MODULE_LOAD_FAILED/s);

      writeFileSync(join(dir, 'assets', 'broken.ts'), asset('fixed'));
      await dev.waitForOutput(/reloaded generation 3 after changes to assets\/broken\.ts in \d+ ms: 4 assets \(\+fixed\)/, WAIT);
      expect(await get('/api/project')).toMatchObject({ generation: 3, failure: null });
      // The page follows by itself: the banner goes away.
      await banner.waitFor({ state: 'hidden', timeout: WAIT });
    } finally {
      await browser.close();
    }
    expect(dev.alive).toBe(true);
  });

  it('lets a run in flight finish with the code it started with; the next run uses the new code', { timeout: 180_000 }, async () => {
    const first = await launch('key:slow');
    await until('the slow step to start', () => get<RunView>(`/api/runs/${first}`), (run) => run.steps[0]?.status === 'RUNNING');
    writeFileSync(join(dir, 'assets', 'slow.ts'), slow('v2', false));
    await dev.waitForOutput(/reloaded generation 4 after changes to assets\/slow\.ts/, WAIT);
    writeFileSync(join(dir, 'release'), '');
    const ended = await until('the first run to end', () => get<RunView>(`/api/runs/${first}`), (run) => run.status !== 'STARTED' && run.status !== 'QUEUED');
    expect(ended.status).toBe('SUCCESS');
    expect(ended.steps[0]!.materialization?.metadata).toMatchObject({ code: 'v1' });

    const second = await launch('key:slow');
    const next = await until('the second run to end', () => get<RunView>(`/api/runs/${second}`), (run) => run.status !== 'STARTED' && run.status !== 'QUEUED');
    expect(next.status).toBe('SUCCESS');
    expect(next.steps[0]!.materialization?.metadata).toMatchObject({ code: 'v2' });
  });

  it('schedules the ticks of a schedule added while it runs', { timeout: 120_000 }, async () => {
    writeFileSync(
      join(dir, 'schedules', 'often.ts'),
      `import { defineSchedule } from 'sluice';\nexport const often = defineSchedule({ name: 'often', cron: '* * * * * *', timezone: 'UTC', select: 'key:base', defaultStatus: 'RUNNING', catchup: { policy: 'none' } });\n`,
    );
    await dev.waitForOutput(/reloaded generation 5 after changes to schedules\/often\.ts in \d+ ms: 4 assets, 0 checks, 1 schedule/, WAIT);
    const runs = await until('a run of the new schedule', () => get<{ runs: Array<{ status: string }> }>('/api/runs?schedule=often'), (r) => r.runs.some((run) => run.status === 'SUCCESS'));
    expect(runs.runs.length).toBeGreaterThan(0);
    expect((await get<{ schedules: Array<{ name: string; status: string }> }>('/api/schedules')).schedules).toEqual([expect.objectContaining({ name: 'often', status: 'RUNNING' })]);
  });

  it('stops on SIGTERM with exit 0 and leaves no daemon address behind', { timeout: 60_000 }, async () => {
    const exit = await dev.kill('SIGTERM');
    expect(exit.code).toBe(0);
    expect(existsSync(join(dir, '.sluice', 'daemon.json'))).toBe(false);
  });
});

describe('sluice dev on a project that does not load yet', () => {
  it('starts with nothing loaded, says why, and loads once the file is fixed', { timeout: 120_000 }, async () => {
    const broken = tempProject({ 'assets/a.ts': `import { defineAsset } from 'sluice';\nexport const a = defineAsset({ key: 'a', deps: ['nope'], materialize() {} });\n` });
    const proc = new CliProcess('sluice dev (broken)', ['dev', '--web-port', '0'], { cwd: broken, env: { SLUICE_LOG_LEVEL: 'warn' } });
    try {
      await proc.waitForOutput(/load failed \(1 problem\); nothing is loaded yet/, WAIT);
      expect(proc.output).toMatch(/UNKNOWN_DEPENDENCY: asset "a" \(assets\/a\.ts\) depends on unknown asset "nope"/);
      const base = (await proc.waitForOutput(/dashboard at (http:\/\/\S+)/, WAIT))[1]!;
      const before = (await (await fetch(`${base}/api/project`)).json()) as { generation: number; assets: number; failure: unknown };
      expect(before).toMatchObject({ generation: 0, assets: 0, failure: { problems: [expect.objectContaining({ code: 'UNKNOWN_DEPENDENCY', file: 'assets/a.ts' })] } });
      writeFileSync(join(broken, 'assets', 'a.ts'), asset('a'));
      await proc.waitForOutput(/loaded generation 1 after changes to assets\/a\.ts in \d+ ms: 1 asset,/, WAIT);
      expect(await (await fetch(`${base}/api/project`)).json()).toMatchObject({ generation: 1, assets: 1, failure: null });
    } finally {
      await proc.kill('SIGTERM');
    }
  });
});
