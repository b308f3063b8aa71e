// The dashboard's run page in headless Chromium, for a run in progress: time to first render
// (navigation start to the first Gantt row, read in the page) and the page's CPU per second while
// steps keep starting and finishing (Chromium's Performance.getMetrics TaskDuration and
// ScriptDuration deltas over the window, through a CDP session). The run's steps are written through
// the storage API (no executor), so the figures are the page's and the server's, not a runner's.
import { chromium, type Browser } from 'playwright-core';
import { Redactor } from '../../src/core/redactor.js';
import { InProcessLauncher } from '../../src/execution/in-process/in-process-launcher.js';
import { ResourceCache } from '../../src/execution/resource-cache.js';
import { AssetGraph } from '../../src/core/graph/asset-graph.js';
import { openInstance } from '../../src/storage/index.js';
import { resolveWebBinding } from '../../src/web/web-binding.js';
import { startWebServer } from '../../src/web/web-server.js';
import { syntheticRun } from '../../test/fixtures/synthetic-run.js';
import { withRuns } from '../../test/fixtures/served-api.js';

export interface RunPageFigures {
  readonly steps: number;
  /** Median over `loads` fresh page loads, ms since navigation start. */
  readonly firstRenderMs: number;
  /** Chromium's busy time of the page (all tasks: script, style, layout, paint) per wall second, ms. */
  readonly taskMsPerSecond: number;
  /** Of which script, ms per wall second. */
  readonly scriptMsPerSecond: number;
  /** Steps that finished during the CPU window. */
  readonly finished: number;
}

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * One run of `steps` steps (the first 50 done, 8 running, 3 log lines each), the page opened
 * `loads` times, then `stepsPerSecond` steps start and finish for `windowMs` while one page stays open.
 */
export async function runPageFigures(browser: Browser, steps: number, options: { loads?: number; windowMs?: number; stepsPerSecond?: number } = {}): Promise<RunPageFigures> {
  const loads = options.loads ?? 3;
  const windowMs = options.windowMs ?? 10_000;
  const rate = options.stepsPerSecond ?? 20;
  const instance = await openInstance({ kind: 'pglite', dataDir: undefined });
  const graph = AssetGraph.build([], []);
  const launcher = new InProcessLauncher({ instance, graph, resources: new ResourceCache({}), redactor: new Redactor([]), worker: 'bench', logLevel: 'silent', now: () => new Date(), random: Math.random });
  const web = await startWebServer({ api: withRuns({ instance, graph, launcher, onQueued: () => {} }), binding: resolveWebBinding({ host: '127.0.0.1', port: 0, token: undefined }), metrics: { heartbeatTimeoutMs: 15_000 } });
  const runId = crypto.randomUUID();
  try {
    const run = await syntheticRun(instance, runId, steps);
    const running: string[] = [];
    let next = 0;
    const advance = async () => {
      const done = running.shift();
      if (done) await run.finish(done);
      if (next < run.keys.length) {
        const key = run.keys[next++]!;
        await run.start(key);
        await run.log(key, 3);
        running.push(key);
      }
    };
    for (let i = 0; i < 58; i++) await advance();
    const url = `${web.url}/#/runs/${runId}`;
    const times: number[] = [];
    for (let i = 0; i < loads; i++) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
      await page.goto(url);
      const handle = await page.waitForFunction(() => (document.querySelector('#gantt .gantt-row') ? performance.now() : 0), null, { timeout: 120_000, polling: 'raf' });
      times.push((await handle.jsonValue()) as number);
      await page.close();
    }
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(url);
    await page.waitForSelector('#gantt .gantt-row', { timeout: 120_000 });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const read = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const of = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
      return { task: of('TaskDuration'), script: of('ScriptDuration'), at: performance.now() };
    };
    await new Promise((r) => setTimeout(r, 1000));
    const from = await read();
    const started = next;
    const until = performance.now() + windowMs;
    while (performance.now() < until) {
      const tickAt = performance.now();
      await advance();
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 / rate - (performance.now() - tickAt))));
    }
    const to = await read();
    await page.close();
    const seconds = (to.at - from.at) / 1000;
    times.sort((a, b) => a - b);
    return {
      steps,
      firstRenderMs: times[Math.floor(times.length / 2)]!,
      taskMsPerSecond: ((to.task - from.task) * 1000) / seconds,
      scriptMsPerSecond: ((to.script - from.script) * 1000) / seconds,
      finished: next - started,
    };
  } finally {
    await web.close();
    await launcher.close();
    await instance.close();
  }
}

/** Headless Chromium for the run-page figures (SLUICE_CHROMIUM or Debian's /usr/bin/chromium). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.SLUICE_CHROMIUM ?? '/usr/bin/chromium', args: ARGS });
}
