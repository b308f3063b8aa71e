import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, cliEnv, sluice, tempProject } from '../fixtures/cli.js';

let daemon: ChildProcess | undefined;
afterEach(() => {
  daemon?.kill('SIGKILL');
  daemon = undefined;
});

/** Starts `sluice daemon` in `dir` and resolves once it says it is ready. */
function startDaemon(dir: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'daemon'], { cwd: dir, env: cliEnv() });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes(' ready: executor in-process')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`daemon exited ${code}: ${err}`)));
  });
}

describe('embedded daemon', () => {
  it('executes runs submitted by the CLI and serves the other commands while it holds the store', async () => {
    const dir = tempProject({
      'assets/a.ts': `
import { defineAsset } from 'sluice';
export const a = defineAsset({ key: 'a', materialize: (ctx) => { ctx.log.info('from the daemon'); return { metadata: { pid: process.pid } }; } });
export const b = defineAsset({ key: 'b', deps: ['a'], materialize: () => {} });
`,
    });
    daemon = await startDaemon(dir);
    expect(existsSync(join(dir, '.sluice', 'daemon.json'))).toBe(true);

    const res = await sluice(['materialize', '--select', '*', '--json'], { cwd: dir });
    expect(res.stderr).toContain('(executed by the sluice daemon)');
    expect(res.code).toBe(0);
    const summary = JSON.parse(res.stdout);
    expect(summary).toMatchObject({ status: 'SUCCESS', trigger: 'cli' });
    // The step ran inside the daemon process, not in the CLI.
    expect(summary.steps[0].materialization.metadata.pid).toBe(daemon.pid);

    const list = await sluice(['runs', 'list', '--json'], { cwd: dir });
    expect(JSON.parse(list.stdout).map((r: { runId: string }) => r.runId)).toEqual([summary.runId]);
    const logs = await sluice(['runs', 'logs', summary.runId], { cwd: dir });
    expect(logs.stdout).toContain('INFO from the daemon');
    const status = await sluice(['daemon', 'status', '--json'], { cwd: dir });
    expect(JSON.parse(status.stdout).map((b: { kind: string; pid: number }) => [b.kind, b.pid])).toEqual([['daemon', daemon.pid]]);
    const bad = await sluice(['materialize', '--select', 'key:zzz'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown asset "zzz"');

    const exited = new Promise<number | null>((resolve) => daemon!.on('exit', resolve));
    daemon.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(join(dir, '.sluice', 'daemon.json'))).toBe(false);
    // With the daemon gone, the CLI opens the store itself and sees the same runs.
    const after = await sluice(['runs', 'list', '--json'], { cwd: dir });
    expect(JSON.parse(after.stdout)).toHaveLength(1);
  });
});
