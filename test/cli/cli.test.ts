import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, sluice, tempProject } from '../fixtures/cli.js';

const chain = {
  'assets/chain.ts': `
import { defineAsset, defineAssetCheck } from 'sluice';
import { z } from 'zod';
export const a = defineAsset({ key: 'raw/a', group: 'ingest', materialize: (ctx) => { ctx.log.info({ n: 1 }, 'hello from a'); return { metadata: { rows: 3 } }; } });
export const b = defineAsset({ key: 'b', deps: [a], config: z.object({ fail: z.boolean().default(false) }), materialize: (ctx) => { if (ctx.config.fail) throw new Error('b was told to fail'); return { metadata: { rows: 2 } }; } });
export const c = defineAsset({ key: 'c', deps: ['b'], materialize: () => {} });
export const bCheck = defineAssetCheck({ asset: b, name: 'has_rows', blocking: true, check: () => ({ passed: true, metadata: { rows: 2 } }) });
`,
};

let badInputProject: string | undefined;

describe('sluice CLI', () => {
  it('prints help with every command and exits 0', async () => {
    const res = await sluice(['--help'], { cwd: REPO });
    expect(res.code).toBe(0);
    for (const cmd of ['assets', 'materialize', 'runs']) expect(res.stdout).toContain(cmd);
  });

  it('rejects an unknown command and an unknown flag with exit 2', async () => {
    const unknownCommand = await sluice(['materialise'], { cwd: REPO });
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toMatch(/unknown command 'materialise'[\s\S]*materialize/);
    const unknownFlag = await sluice(['assets', 'list', '--jsn'], { cwd: REPO });
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr).toContain("unknown option '--jsn'");
  });

  it('lists exactly the upstream of promote_dev_to_main in the example project', async () => {
    const res = await sluice(['assets', 'list', '--select', '+key:promote_dev_to_main', '--json'], { cwd: REPO });
    expect(res.code).toBe(0);
    const keys = (JSON.parse(res.stdout) as Array<{ key: string }>).map((a) => a.key);
    expect(keys).toEqual(['branch_status', 'dbt/daily_glucose', 'dbt/fct_readings', 'dbt/stg_entries', 'dev_branch', 'promote_dev_to_main', 'raw/entries']);
  });

  it('materializes a project, then shows the run, its logs and the run list', async () => {
    const dir = tempProject(chain);
    const res = await sluice(['materialize', '--select', '*', '--tag', 'team=data'], { cwd: dir });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const runId = /^run ([0-9a-f-]{36}):/m.exec(res.stdout)?.[1];
    expect(runId).toBeDefined();
    expect(res.stdout).toMatch(/✓ raw\/a succeeded in .* rows=3/);
    expect(res.stdout).toContain('SUCCESS');
    expect(existsSync(join(dir, '.sluice', 'runs'))).toBe(true);

    const show = await sluice(['runs', 'show', runId!, '--json'], { cwd: dir });
    expect(show.code).toBe(0);
    const summary = JSON.parse(show.stdout);
    expect(summary).toMatchObject({ runId, status: 'SUCCESS', trigger: 'cli', tags: { team: 'data' } });
    expect(summary.steps.map((s: { key: string; status: string }) => `${s.key}:${s.status}`)).toEqual([
      'raw/a:SUCCEEDED',
      'b:SUCCEEDED',
      'b#has_rows:SUCCEEDED',
      'c:SUCCEEDED',
    ]);
    expect(summary.steps[0].materialization.metadata).toEqual({ rows: 3 });
    expect(summary.steps[2].check).toMatchObject({ passed: true, blocking: true, metadata: { rows: 2 } });

    const logs = await sluice(['runs', 'logs', runId!], { cwd: dir });
    expect(logs.code).toBe(0);
    expect(logs.stdout).toMatch(/raw\/a INFO hello from a \{"n":1\}/);

    const list = await sluice(['runs', 'list', '--json'], { cwd: dir });
    const listed = JSON.parse(list.stdout);
    expect(listed.map((r: { runId: string }) => r.runId)).toEqual([runId]);
    // Each listed run carries its step statistics (one aggregate query for the page).
    expect(listed[0]).toMatchObject({
      trigger: 'cli',
      attempts: 4,
      retries: 0,
      failures: 0,
      stepCounts: { PENDING: 0, RUNNING: 0, SUCCEEDED: 4, FAILED: 0, SKIPPED: 0, CANCELED: 0 },
    });
    expect(listed[0].durationMs).toBeGreaterThanOrEqual(0);
    expect(listed[0].workers).toHaveLength(1);
  });

  it('exits 1 when the run fails and skips downstream; --json prints the summary', async () => {
    const dir = tempProject({ ...chain, 'fail.json': JSON.stringify({ b: { fail: true } }) });
    const res = await sluice(['materialize', '--select', '*', '--config', 'fail.json', '--json'], { cwd: dir });
    expect(res.code).toBe(1);
    const summary = JSON.parse(res.stdout);
    expect(summary.status).toBe('FAILURE');
    const byKey = Object.fromEntries(summary.steps.map((s: { key: string; status: string }) => [s.key, s.status]));
    expect(byKey).toEqual({ 'raw/a': 'SUCCEEDED', b: 'FAILED', 'b#has_rows': 'SKIPPED', c: 'SKIPPED' });
    expect(res.stderr).toContain('b was told to fail');

    // Re-executed from failure: only what did not finish, with the parent's config (so b fails again).
    const again = await sluice(['runs', 'reexecute', summary.runId, '--json'], { cwd: dir });
    expect(again.code).toBe(1);
    const child = JSON.parse(again.stdout);
    expect(child.tags).toMatchObject({ 'sluice/parent_run_id': summary.runId, 'sluice/root_run_id': summary.runId });
    expect(child.steps.map((s: { key: string }) => s.key).sort()).toEqual(['b', 'b#has_rows', 'c']);
    expect(again.stderr).toMatch(new RegExp(`^run ${child.runId}: re-executes 3 step\\(s\\) of run ${summary.runId}`, 'm'));

    // A materialization made outside Sluice, reported: its own run, the metadata kept; bad metadata is refused (exit 2).
    const reported = await sluice(['assets', 'report', 'raw/a', '--metadata', '{"rows": 3}', '--json'], { cwd: dir });
    expect(reported.code).toBe(0);
    const shown = await sluice(['runs', 'show', JSON.parse(reported.stdout).runId, '--json'], { cwd: dir });
    expect(JSON.parse(shown.stdout)).toMatchObject({ status: 'SUCCESS', trigger: 'external:cli', tags: { 'sluice/external': 'true' }, steps: [{ key: 'raw/a', materialization: { metadata: { rows: 3 } } }] });
    const bad = await sluice(['assets', 'report', 'raw/a', '--metadata', 'rows=3'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--metadata is not valid JSON');
  });

  it.each([
    [['materialize', '--select', 'key:raw/a and'], /invalid selection[\s\S]*\^/],
    [['materialize', '--select', 'cc'], /unknown asset "cc" in --select \(did you mean "c"\?\)/],
    [['materialize', '--select', 'group:ingest and not key:raw/a'], /selects no assets/],
    [['materialize', '--select', '*', '--config', 'missing.json'], /cannot read --config file .*missing\.json/],
    [['materialize', '--select', '*', '--config', 'bad.json'], /invalid config for asset "b" in run config: field "fail"/],
    [['materialize', '--select', '*', '--concurrency', '0'], /--concurrency must be a whole number >= 1/],
    [['materialize'], /required option '--select <expr>' not specified/],
    [['materialize', '--select', '*', '--config-name', 'nope'], /no run config named "nope"; no configs are stored yet/],
    [['configs', 'set', 'prod', 'bad.json'], /invalid config for asset "b" in run config "prod" \(.*bad\.json\): field "fail"/],
    [['runs', 'show', 'nope'], /no run "nope"/],
    [['configs', 'show', 'prod@1', '--version', '2'], /give the version once, as prod@1 or --version 2/],
  ])('exits 2 on bad input %j', async (args, message) => {
    // One project for the whole table: its store is created once, and must stay empty (below).
    badInputProject ??= tempProject({ ...chain, 'bad.json': JSON.stringify({ b: { fail: 'yes' } }) });
    const res = await sluice(args, { cwd: badInputProject });
    expect(res.stderr).toMatch(message);
    expect(res.code).toBe(2);
  });

  it('wrote no run for any of those bad inputs', async () => {
    const list = await sluice(['runs', 'list', '--json'], { cwd: badInputProject! });
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it.each([
    [
      'duplicate keys',
      { 'assets/one.ts': `import { defineAsset } from 'sluice';\nexport const x = defineAsset({ key: 'dup', materialize() {} });`, 'assets/two.ts': `import { defineAsset } from 'sluice';\nexport const y = defineAsset({ key: 'dup', materialize() {} });` },
      /asset "dup" is defined twice: in assets\/one\.ts and in assets\/two\.ts/,
    ],
    [
      'an unknown dep',
      { 'assets/a.ts': `import { defineAsset } from 'sluice';\nexport const o = defineAsset({ key: 'stg_orders', materialize() {} });\nexport const m = defineAsset({ key: 'mart', deps: ['stg_ordrs'], materialize() {} });` },
      /asset "mart" \(assets\/a\.ts\) depends on unknown asset "stg_ordrs" \(did you mean "stg_orders"\?\)/,
    ],
    [
      'a cycle',
      { 'assets/a.ts': `import { defineAsset } from 'sluice';\nexport const a = defineAsset({ key: 'a', deps: ['b'], materialize() {} });\nexport const b = defineAsset({ key: 'b', deps: ['a'], materialize() {} });` },
      /the asset graph has a cycle: (a -> b -> a|b -> a -> b)/,
    ],
    ['an invalid key', { 'assets/a.ts': `import { defineAsset } from 'sluice';\nexport const a = defineAsset({ key: 'bad key', materialize() {} });` }, /assets\/a\.ts failed to load: invalid asset key "bad key"/],
    ['a module that throws', { 'assets/nested/boom.ts': `throw new Error('kaboom at import');` }, /assets\/nested\/boom\.ts failed to load: Error: kaboom at import/],
  ])('reports %s at load with exit 2', async (_name, files, message) => {
    const dir = tempProject(files as Record<string, string>);
    const res = await sluice(['assets', 'list'], { cwd: dir });
    expect(res.stderr).toMatch(message);
    expect(res.code).toBe(2);
  });

  it('says what to do when the folder is not a project', async () => {
    const res = await sluice(['assets', 'list', '--project', '/tmp'], { cwd: REPO });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('no assets/ folder in /tmp');
  });

  it('cancels on SIGINT: exit 130 and the run is CANCELED', async () => {
    const dir = tempProject({
      'assets/slow.ts': `
import { defineAsset } from 'sluice';
export const slow = defineAsset({ key: 'slow', materialize: (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('stopped')))) });
export const after = defineAsset({ key: 'after', deps: ['slow'], materialize() {} });
`,
    });
    const res = await sluice(['materialize', '--select', '*'], {
      cwd: dir,
      onSpawn: (child) => {
        child.stdout!.on('data', (d: Buffer) => {
          if (d.toString().includes('slow started')) child.kill('SIGINT');
        });
      },
    });
    expect(res.code).toBe(130);
    expect(res.stdout).toContain('CANCELED');
    const list = await sluice(['runs', 'list', '--json'], { cwd: dir });
    expect(JSON.parse(list.stdout)[0].status).toBe('CANCELED');
  });
});

describe('a project outside the repo', () => {
  it('works after `npm install <path to a clone>`, through its own node_modules/.bin/sluice', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { execFileSync } = await import('node:child_process');
    const dir = mkdtempSync(join(tmpdir(), 'sluice-external-'));
    mkdirSync(join(dir, 'assets', 'nested'), { recursive: true });
    mkdirSync(join(dir, 'schedules'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'external-project', private: true, type: 'module' }));
    writeFileSync(
      join(dir, 'assets', 'nested', 'orders.ts'),
      `import { defineAsset, defineAssetCheck, type AssetContext } from 'sluice';
export const orders = defineAsset({ key: 'shop/orders', group: 'shop', materialize: (ctx: AssetContext) => ({ metadata: { rows: 10, run: ctx.run.id.length } }) });
export const revenue = defineAsset({ key: 'shop/revenue', deps: [orders], materialize: () => ({ metadata: { total: 99.5 } }) });
export const ordersCheck = defineAssetCheck({ asset: orders, name: 'not_empty', blocking: true, check: () => ({ passed: true }) });
`,
    );
    execFileSync('npm', ['install', REPO, '--no-audit', '--no-fund', '--offline'], { cwd: dir, stdio: 'pipe' });
    const bin = join(dir, 'node_modules', '.bin', 'sluice');
    expect(existsSync(bin)).toBe(true);
    const { spawnSync } = await import('node:child_process');
    const env = { ...process.env };
    delete env.SLUICE_DATABASE_URL;
    delete env.SLUICE_PROJECT;
    const list = spawnSync(bin, ['assets', 'list', '--json'], { cwd: dir, env, encoding: 'utf8' });
    expect(list.status).toBe(0);
    expect(JSON.parse(list.stdout).map((a: { key: string }) => a.key)).toEqual(['shop/orders', 'shop/revenue']);
    const run = spawnSync(bin, ['materialize', '--select', 'key:shop/*', '--json'], { cwd: dir, env, encoding: 'utf8' });
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.steps.map((s: { key: string; status: string }) => `${s.key}:${s.status}`)).toEqual([
      'shop/orders:SUCCEEDED',
      'shop/orders#not_empty:SUCCEEDED',
      'shop/revenue:SUCCEEDED',
    ]);
    expect(existsSync(join(dir, '.sluice', 'runs'))).toBe(true);
  });
});
