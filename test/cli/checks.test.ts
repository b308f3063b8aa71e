import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, cliEnv, sluice, tempProject } from '../fixtures/cli.js';


/** raw (a gating check whose result RAW_OK decides, and a WARN check) -> stg -> mart; side alone. */
const project = {
  'assets/pipeline.ts': `
import { defineAsset, defineAssetCheck } from 'sluice';
export const raw = defineAsset({ key: 'raw', group: 'ingest', materialize: () => ({ metadata: { rows: 3 } }) });
export const stg = defineAsset({ key: 'stg', deps: [raw], materialize: () => {} });
export const mart = defineAsset({ key: 'mart', deps: [stg], materialize: () => {} });
export const side = defineAsset({ key: 'side', materialize: () => {} });
export const valid = defineAssetCheck({
  asset: raw, name: 'valid', blocking: true, description: 'rows are valid',
  check: () => ({ passed: process.env.RAW_OK === '1', description: process.env.RAW_OK === '1' ? 'all good' : '2 bad rows', metadata: { bad: process.env.RAW_OK === '1' ? 0 : 2 } }),
});
export const soft = defineAssetCheck({ asset: raw, name: 'soft', severity: 'WARN', check: () => ({ passed: false }) });
`,
};

describe('sluice checks list, assets show and --allow-failed-checks', () => {
  it('lists checks with their latest results, gates later runs, and shows check history', async () => {
    const dir = tempProject(project);
    const never = await sluice(['checks', 'list', '--json'], { cwd: dir });
    expect(never.code).toBe(0);
    expect(JSON.parse(never.stdout)).toEqual([
      { asset: 'raw', name: 'soft', severity: 'WARN', blocking: false, gating: false, description: null, latest: null },
      { asset: 'raw', name: 'valid', severity: 'ERROR', blocking: true, gating: true, description: 'rows are valid', latest: null },
    ]);

    const failing = await sluice(['materialize', '--select', '*'], { cwd: dir, env: { RAW_OK: '0' } });
    expect(failing.code).toBe(1);
    const failedRun = /^run ([0-9a-f-]{36}):/m.exec(failing.stdout)![1]!;

    const listed = JSON.parse((await sluice(['checks', 'list', '--select', 'key:raw', '--json'], { cwd: dir })).stdout);
    expect(listed.map((c: { name: string; latest: { passed: boolean; runId: string } }) => [c.name, c.latest.passed, c.latest.runId])).toEqual([
      ['soft', false, failedRun],
      ['valid', false, failedRun],
    ]);
    expect(JSON.parse((await sluice(['checks', 'list', '--select', 'key:mart', '--json'], { cwd: dir })).stdout)).toEqual([]);
    const text = await sluice(['checks', 'list'], { cwd: dir });
    expect(text.stdout).toMatch(/raw\s+valid\s+ERROR\s+yes\s+FAILED/);

    // Check results appear in runs show.
    const show = await sluice(['runs', 'show', failedRun], { cwd: dir });
    expect(show.stdout).toMatch(/raw#valid\s+FAILED.*FAILED \[ERROR, blocking\] bad=2 2 bad rows/);

    // A later run downstream of the failed gating check is refused, nothing written (exit 2).
    const refused = await sluice(['materialize', '--select', 'key:mart'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`check "valid" of "raw" failed in run ${failedRun}`);
    expect(refused.stderr).toContain('--allow-failed-checks');
    const runsBefore = JSON.parse((await sluice(['runs', 'list', '--json'], { cwd: dir })).stdout).length;
    expect(runsBefore).toBe(1);

    const allowed = await sluice(['materialize', '--select', 'key:mart', '--allow-failed-checks', '--json'], { cwd: dir });
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout)).toMatchObject({ status: 'SUCCESS', tags: { 'sluice/allow_failed_checks': 'true' } });

    // The asset's history: materializations and check results, newest first.
    const history = JSON.parse((await sluice(['assets', 'show', 'raw', '--json'], { cwd: dir })).stdout);
    expect(history).toMatchObject({ key: 'raw', group: 'ingest', checks: [{ name: 'soft' }, { name: 'valid', blocking: true }] });
    expect(history.materializations).toEqual([expect.objectContaining({ runId: failedRun, metadata: { rows: 3 } })]);
    expect(history.checkHistory.map((c: { checkName: string; passed: boolean }) => [c.checkName, c.passed]).sort()).toEqual([
      ['soft', false],
      ['valid', false],
    ]);
    const fixed = await sluice(['materialize', '--select', 'key:raw'], { cwd: dir, env: { RAW_OK: '1' } });
    expect(fixed.code).toBe(0);
    const after = await sluice(['assets', 'show', 'raw', '--limit', '1'], { cwd: dir });
    expect(after.stdout).toContain('check results (newest first):');
    expect(after.stdout).toMatch(/valid\s+passed|soft\s+FAILED/);
    expect((await sluice(['materialize', '--select', 'key:mart'], { cwd: dir })).code).toBe(0);
  });

  it('names an unknown asset in assets show with a suggestion (exit 2)', async () => {
    const dir = tempProject(project);
    const res = await sluice(['assets', 'show', 'rawx'], { cwd: dir });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('unknown asset "rawx" (did you mean "raw"?)');
  });
});

describe('sluice checks list and assets show through an embedded daemon', () => {
  let daemon: ChildProcess | undefined;
  afterEach(() => {
    daemon?.kill('SIGKILL');
    daemon = undefined;
  });

  it('reads latest results and history through the daemon that holds the store, and passes --allow-failed-checks on', async () => {
    const dir = tempProject(project);
    daemon = await new Promise<ChildProcess>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'daemon', '--no-web'], { cwd: dir, env: cliEnv({ RAW_OK: '0' }) });
      let err = '';
      child.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        if (err.includes(' ready: executor in-process')) resolve(child);
      });
      child.on('exit', (code) => reject(new Error(`daemon exited ${code}: ${err}`)));
    });
    const failing = await sluice(['materialize', '--select', '*'], { cwd: dir });
    expect(failing.stdout).toContain('(executed by the sluice daemon)');
    expect(failing.code).toBe(1);
    const runId = /^run ([0-9a-f-]{36}):/m.exec(failing.stdout)![1]!;
    const listed = JSON.parse((await sluice(['checks', 'list', '--json'], { cwd: dir })).stdout);
    expect(listed.map((c: { name: string; latest: { passed: boolean; runId: string } | null }) => [c.name, c.latest?.passed, c.latest?.runId])).toEqual([
      ['soft', false, runId],
      ['valid', false, runId],
    ]);
    const history = JSON.parse((await sluice(['assets', 'show', 'raw', '--json'], { cwd: dir })).stdout);
    expect(history.checkHistory).toHaveLength(2);
    expect(history.materializations).toEqual([expect.objectContaining({ runId })]);
    const refused = await sluice(['materialize', '--select', 'key:mart'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`check "valid" of "raw" failed in run ${runId}`);
    const allowed = await sluice(['materialize', '--select', 'key:mart', '--allow-failed-checks', '--json'], { cwd: dir });
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout).tags).toMatchObject({ 'sluice/allow_failed_checks': 'true' });
  });
});
