import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyMultiAssetDefinition } from '../../../src/core/asset/multi-asset-definition.js';
import type { EventRecord } from '../../../src/core/events.js';
import { dbtAssets } from '../../../src/integrations/dbt/dbt-assets.js';
import { dbtCliRunner } from '../../../src/integrations/dbt/dbt-cli-runner.js';
import { projectCacheDir } from '../../../src/integrations/dbt/partial-parse.js';
import { openInstance } from '../../../src/storage/index.js';
import type { Instance } from '../../../src/storage/instance.js';
import { noop } from '../../fixtures/graph.js';
import { harness, type Harness } from '../../fixtures/harness.js';
import { testDbt } from '../../fixtures/services.js';
import { realDbtProject, type RealDbtProject } from './fixtures/real-dbt-project.js';

// Real dbt-core + dbt-postgres (the venv of scripts/services.sh) against the test Postgres: the
// project is parsed by `dbt parse`, and every run of its models is one `dbt build`.
const dbt = testDbt();
let shop: RealDbtProject;
let store: Instance;
let multi: AnyMultiAssetDefinition;
let h: Harness;
const runner = (env: Record<string, string> = {}) => dbtCliRunner({ command: [dbt], profilesDir: 'profiles', env });

beforeAll(async () => {
  shop = await realDbtProject();
  store = await openInstance({ kind: 'pglite', dataDir: undefined });
});
afterAll(async () => {
  await h?.close();
  await store?.close();
  await shop?.remove();
});

const data = (events: EventRecord[], type: string) => events.filter((e) => e.type === type).map((e) => e.data as Record<string, unknown> & { assetKey: string });
const dbtBuilds = (events: EventRecord[]) => events.filter((e) => e.type === 'LOG' && (e.data as { msg: string }).msg === 'dbt build started');

describe('dbt for real', () => {
  it('reads the project through `dbt parse` (cached by its files): a materialized view and a folder with a space load', () => {
    const defs = dbtAssets({ projectDir: shop.dir, runner: runner() });
    multi = defs.find((d): d is AnyMultiAssetDefinition => d.kind === 'multi_asset')!;
    expect(multi.name).toBe('dbt_shop');
    expect(multi.assets.map((a) => [a.key, a.deps, a.group])).toEqual([
      ['dbt/rep_live', ['dbt/rep_totals'], 'Data_Mart'],
      ['dbt/rep_totals', ['dbt/stg_orders'], 'Data_Mart'],
      ['dbt/stg_orders', ['raw/orders'], 'staging'],
    ]);
    expect(multi.checks.map((c) => [c.asset, c.name, c.severity, c.blocking])).toEqual([
      ['dbt/stg_orders', 'not_null_stg_orders_amount', 'WARN', false],
      ['dbt/stg_orders', 'not_null_stg_orders_id', 'ERROR', true],
      ['dbt/stg_orders', 'unique_stg_orders_id', 'ERROR', true],
    ]);
    // A second load reads the cached manifest: still one manifest for these files.
    dbtAssets({ projectDir: shop.dir, runner: runner() });
    expect(readdirSync(projectCacheDir(shop.dir)).filter((f) => f.startsWith('manifest-'))).toHaveLength(1);
  });

  it('builds every selected model and test in one `dbt build`, each reported with rows, relation and compiled SQL', async () => {
    await shop.load([
      [1, 10],
      [2, 20],
      [3, null],
    ]);
    const report = noop('report', ['dbt/rep_totals']);
    h = await harness([noop('raw/orders'), ...multi.assets, report], [], { instance: store });
    const run = await h.materialize('*');
    expect(run.status).toBe('SUCCESS');
    expect((await h.instance.runs.listSteps(run.id)).map((s) => [s.key, s.status])).toEqual([
      ['raw/orders', 'SUCCEEDED'],
      ['@dbt_shop', 'SUCCEEDED'],
      ['report', 'SUCCEEDED'],
    ]);
    const events = await h.instance.eventLog.listEvents(run.id);
    expect(dbtBuilds(events)).toHaveLength(1);
    // Everything selected: dbt builds its buildable resource types, without matching 6 names.
    const args = (dbtBuilds(events)[0]!.data as { fields: { args: string[] } }).fields.args;
    expect(args.filter((a) => a === '--select' || a === '--exclude')).toEqual([]);
    const mats = Object.fromEntries(data(events, 'MATERIALIZATION').map((m) => [m.assetKey, m.metadata as Record<string, unknown>]));
    expect(Object.keys(mats).sort()).toEqual(['dbt/rep_live', 'dbt/rep_totals', 'dbt/stg_orders', 'raw/orders', 'report']);
    expect(mats['dbt/stg_orders']).toMatchObject({ dbt_status: 'success', rows_affected: 3, relation: `"test"."${shop.schema}"."stg_orders"` });
    expect(String(mats['dbt/rep_totals']!.compiled_sql)).toMatch(/sum\(doubled\)[\s\S]*__dbt__cte__int_doubled/);
    expect(mats['dbt/rep_live']).toMatchObject({ dbt_unique_id: 'model.shop.rep_live', dbt_status: 'success' });
    const checks = Object.fromEntries(data(events, 'CHECK_EVALUATION').map((c) => [c.checkName as string, [c.passed, c.severity]]));
    expect(checks).toEqual({ unique_stg_orders_id: [true, 'ERROR'], not_null_stg_orders_id: [true, 'ERROR'], not_null_stg_orders_amount: [false, 'WARN'] });
    expect(await shop.query(`select orders::int, total::int from "${shop.schema}".rep_live`)).toEqual([{ orders: 3, total: 60 }]);
    // The invocation's own target folder is gone; its run_results.json is kept with the step.
    expect(existsSync((dbtBuilds(events)[0]!.data as { fields: { targetPath: string } }).fields.targetPath)).toBe(false);
    expect(events.some((e) => e.type === 'LOG' && (e.data as { msg: string }).msg === 'dbt run_results.json')).toBe(true);
  });

  it('a failing blocking test skips its downstream inside dbt and outside; a part of the project then builds alone', async () => {
    await shop.load([
      [1, 10],
      [1, 11],
    ]);
    const failed = await h.materialize('*');
    expect(failed.status).toBe('FAILURE');
    const steps = await h.instance.runs.listSteps(failed.id);
    expect(steps.map((s) => [s.key, s.status, s.error?.code ?? null])).toEqual([
      ['raw/orders', 'SUCCEEDED', null],
      ['@dbt_shop', 'FAILED', 'CHECK_FAILED'],
      ['report', 'SKIPPED', null],
    ]);
    const events = await h.instance.eventLog.listEvents(failed.id);
    expect(data(events, 'MATERIALIZATION').map((m) => m.assetKey)).toEqual(['raw/orders', 'dbt/stg_orders']);
    expect(data(events, 'CHECK_EVALUATION').find((c) => c.checkName === 'unique_stg_orders_id')).toMatchObject({ passed: false, metadata: { failing_rows: 1 } });
    // The second build started from the first one's partial parse.
    expect((dbtBuilds(events)[0]!.data as { fields: { partialParse: boolean } }).fields.partialParse).toBe(true);
    const states = Object.fromEntries((await h.instance.eventLog.assetPartitions(['dbt/stg_orders', 'dbt/rep_totals'])).map((p) => [p.assetKey, [p.status, p.runId]]));
    expect(states).toEqual({ 'dbt/stg_orders': ['MATERIALIZED', failed.id], 'dbt/rep_totals': ['FAILED', failed.id] });

    await shop.load([[7, 70]]);
    const part = await h.materialize('key:dbt/stg_orders');
    expect(part.status).toBe('SUCCESS');
    const partEvents = await h.instance.eventLog.listEvents(part.id);
    expect(dbtBuilds(partEvents)).toHaveLength(1);
    // Four of the project's six nodes and tests: dbt is told the two left out (fewer to match).
    const args = (dbtBuilds(partEvents)[0]!.data as { fields: { args: string[] } }).fields.args;
    expect(args.slice(args.indexOf('--exclude') + 1, args.indexOf('--indirect-selection')).sort()).toEqual(['shop.Data?Mart.rep_live', 'shop.Data?Mart.rep_totals']);
    expect(args).not.toContain('--select');
    expect(data(partEvents, 'MATERIALIZATION').map((m) => m.assetKey)).toEqual(['dbt/stg_orders']);
  });

  it('cancel stops the dbt process group and keeps what had finished', async () => {
    const slow = dbtAssets({ projectDir: shop.dir, runner: runner({ SHOP_SLEEP_S: '60' }) }).find((d): d is AnyMultiAssetDefinition => d.kind === 'multi_asset')!;
    await shop.load([[1, 10]]);
    const cancelable = await harness([noop('raw/orders'), ...slow.assets], [], { instance: store });
    try {
      const abort = new AbortController();
      const finished = cancelable.materialize('key:dbt/stg_orders', { signal: abort.signal });
      // dbt is running the model (its process works in the project folder) before the cancel.
      for (const deadline = Date.now() + 60_000; dbtProcesses(shop.dir).length === 0 || !(await sleeping(shop)); ) {
        if (Date.now() > deadline) throw new Error('dbt never started stg_orders');
        await new Promise((r) => setTimeout(r, 100));
      }
      abort.abort();
      expect((await finished).status).toBe('CANCELED');
      expect(dbtProcesses(shop.dir)).toEqual([]);
      // dbt canceled its query on the way out: nothing of the run still works in Postgres.
      for (const deadline = Date.now() + 10_000; await sleeping(shop); await new Promise((r) => setTimeout(r, 100))) {
        if (Date.now() > deadline) throw new Error('the canceled model still runs in Postgres');
      }
    } finally {
      await cancelable.close();
    }
  });

  it('names the command to run when dbt is missing or the profile is wrong', async () => {
    // A project no earlier test parsed (a cached manifest would answer without dbt).
    const fresh = await realDbtProject();
    try {
      expect(() => dbtAssets({ projectDir: fresh.dir, runner: dbtCliRunner({ command: ['/nonexistent/dbt'], profilesDir: 'profiles' }) })).toThrow(
        /dbt command "\/nonexistent\/dbt" not found, needed to parse dbt project .*pip install dbt-core dbt-postgres/,
      );
      expect(() => dbtAssets({ projectDir: fresh.dir, runner: dbtCliRunner({ command: [dbt], profilesDir: 'profiles', target: 'nope' }) })).toThrow(
        /`dbt parse` of dbt project .* failed[\s\S]*nope[\s\S]*run `.*dbt parse --profiles-dir profiles --target nope` in .*and `dbt debug` for a profile error/,
      );
    } finally {
      await fresh.remove();
    }
  });
});

describe('the dbt runner and a process that ignores SIGINT', () => {
  it('escalates to SIGKILL after the grace period', async () => {
    // Real dbt stops on SIGINT; a shell that ignores it stands in for one that hangs.
    const stubborn = dbtCliRunner({ command: ['bash', '-c', 'trap "" INT TERM; echo started; sleep 60 & wait; sleep 60', 'dbt'], killGraceMs: 300 });
    const abort = new AbortController();
    const records: string[] = [];
    const log = { info: (_f: unknown, m?: string) => void records.push(String(m ?? _f)), warn: () => {}, debug: () => {}, error: () => {}, trace: () => {}, fatal: () => {}, child: () => log };
    const project = { name: 'p', dir: shop.dir, nodes: new Map(), sources: new Map(), tests: new Map() };
    const running = stubborn.run({ project, select: [], log: log as never, signal: abort.signal, resources: {} });
    for (let i = 0; i < 200 && !records.includes('started'); i++) await new Promise((r) => setTimeout(r, 20));
    abort.abort(new Error('timed out'));
    await expect(running).rejects.toThrow('timed out');
    expect(dbtProcesses(shop.dir)).toEqual([]);
    // Aborted before it starts: nothing runs.
    records.length = 0;
    await expect(stubborn.run({ project, select: [], log: log as never, signal: abort.signal, resources: {} })).rejects.toThrow('timed out');
    expect(records).toEqual([]);
  });
});

/** Processes working in `dir` (dbt runs in the project folder): their pids. */
function dbtProcesses(dir: string): number[] {
  return readdirSync('/proc').flatMap((entry) => {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) return [];
    try {
      // A zombie (exited, not yet reaped by its new parent) runs nothing.
      if (/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${entry}/stat`, 'utf8'))) return [];
      return readlinkSync(`/proc/${entry}/cwd`) === dir ? [Number(entry)] : [];
    } catch {
      return [];
    }
  });
}

async function sleeping(project: RealDbtProject): Promise<boolean> {
  const rows = await project.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where query like '%pg_sleep(60)%' and state = 'active' and pid <> pg_backend_pid()");
  return rows[0]!.n > 0;
}
