// Time to first render of the dashboard's lineage page in headless Chromium, for generated graphs
// of 1,000, 5,000 and 10,000 assets (`npx tsx bench/lineage-render.ts [sizes...]`). Not a test.
//
// Each size: a layered random DAG (20 columns, 1-3 parents from earlier columns, 12 groups, a check
// on every 10th asset, up to 200 root assets materialized so statuses are mixed) in an in-memory PGlite store, served by
// the real dashboard server on loopback; Chromium (/usr/bin/chromium) opens `/` in a fresh page
// and the page reports when the canvas first drew nodes (performance.now(), i.e. since navigation
// start: HTML, modules, GET /api/lineage + /api/asset-states, first frame). The first load, which
// also computes the layout on the server, is reported apart; then the median of 3 loads.
import { chromium } from 'playwright-core';
import { defineAsset } from '../src/core/asset/define-asset.js';
import { defineAssetCheck } from '../src/core/checks/check-definition.js';
import { AssetGraph } from '../src/core/graph/asset-graph.js';
import { Redactor } from '../src/core/redactor.js';
import { InProcessLauncher } from '../src/execution/in-process/in-process-launcher.js';
import { ResourceCache } from '../src/execution/resource-cache.js';
import { openInstance } from '../src/storage/index.js';
import { resolveWebBinding } from '../src/web/web-binding.js';
import { startWebServer } from '../src/web/web-server.js';
import { withRuns } from '../test/fixtures/served-api.js';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const SIZES = sizes.length > 0 ? sizes : [1000, 5000, 10_000];
const COLUMNS = 20;
const LOADS = 3;

/** Deterministic pseudo-random numbers (mulberry32), so every run measures the same graphs. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(n: number): AssetGraph {
  const random = rng(n);
  const perColumn = Math.ceil(n / COLUMNS);
  const keys: string[] = [];
  const assets = [];
  for (let i = 0; i < n; i++) {
    const column = Math.floor(i / perColumn);
    const key = `g${i % 12}/asset_${i}`;
    const deps: string[] = [];
    if (column > 0) {
      const parents = 1 + Math.floor(random() * 3);
      for (let p = 0; p < parents; p++) {
        const from = Math.floor(random() * column * perColumn);
        if (!deps.includes(keys[from]!)) deps.push(keys[from]!);
      }
    }
    keys.push(key);
    assets.push({ definition: defineAsset({ key, deps, group: `group_${i % 12}`, materialize: () => {} }) });
  }
  const checks = keys.filter((_, i) => i % 10 === 0).map((asset) => ({ definition: defineAssetCheck({ asset, name: 'quality', check: () => ({ passed: true }) }) }));
  return AssetGraph.build(assets, checks);
}

async function measure(n: number, browser: Awaited<ReturnType<typeof chromium.launch>>) {
  const graph = generate(n);
  const instance = await openInstance({ kind: 'pglite', dataDir: undefined });
  const host = { instance, graph, resources: new ResourceCache({}), redactor: new Redactor([]), worker: 'bench', logLevel: 'silent' as const, now: () => new Date(), random: Math.random };
  const launcher = new InProcessLauncher(host, { concurrency: 16 });
  // Materialize up to 200 roots, so the page draws more than one status.
  const some = graph.order.filter((_, i) => i % 3 === 0 && graph.parents(graph.order[i]!).length === 0).slice(0, 200);
  if (some.length > 0) {
    const { launchRun } = await import('../src/execution/launch-run.js');
    const run = await launchRun({ instance, graph }, { selection: some.map((k) => `key:${k}`).join(' or '), trigger: 'bench', now: new Date() });
    await instance.runs.setRunStatus(run.id, 'STARTED', new Date());
    await launcher.start(run.id);
    while ((await instance.runs.getRun(run.id))!.status === 'STARTED') await new Promise((r) => setTimeout(r, 50));
  }
  const web = await startWebServer({
    api: withRuns({ instance, graph, launcher, onQueued: () => {} }),
    binding: resolveWebBinding({ host: '127.0.0.1', port: 0, token: undefined }),
    metrics: { heartbeatTimeoutMs: 15_000 },
  });
  const times: number[] = [];
  let coldMs = 0;
  try {
    for (let i = 0; i <= LOADS; i++) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
      await page.goto(`${web.url}/`);
      await page.waitForSelector('body[data-lineage-rendered]', { timeout: 120_000 });
      const ms = await page.evaluate(() => (window as unknown as { __sluiceLineage: { firstRenderMs: number } }).__sluiceLineage.firstRenderMs);
      if (i > 0) times.push(ms);
      else coldMs = ms;
      if (i === LOADS && process.env.LINEAGE_SCREENSHOT) await page.screenshot({ path: `${process.env.LINEAGE_SCREENSHOT}-${n}.png` });
      await page.close();
    }
  } finally {
    await web.close();
    await launcher.close();
    await instance.close();
  }
  times.sort((a, b) => a - b);
  return { assets: n, edges: graph.order.reduce((s, k) => s + graph.parents(k).length, 0), coldMs: Math.round(coldMs), medianMs: Math.round(times[Math.floor(times.length / 2)]!), minMs: Math.round(times[0]!), maxMs: Math.round(times.at(-1)!) };
}

const browser = await chromium.launch({
  executablePath: process.env.SLUICE_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const rows = [];
  for (const n of SIZES) {
    const row = await measure(n, browser);
    rows.push(row);
    process.stderr.write(`[lineage] ${JSON.stringify(row)}\n`);
  }
  process.stdout.write('| assets | edges | first load (layout computed) | time to first render (median of 3) | min | max |\n|---:|---:|---:|---:|---:|---:|\n');
  for (const r of rows) process.stdout.write(`| ${r.assets} | ${r.edges} | ${r.coldMs} ms | ${r.medianMs} ms | ${r.minMs} ms | ${r.maxMs} ms |\n`);
} finally {
  await browser.close();
}
