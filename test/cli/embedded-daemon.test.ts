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
function startDaemon(dir: string, env: Record<string, string> = {}): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'daemon'], { cwd: dir, env: cliEnv(env) });
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
      'assets/c.ts': `
import { defineAsset } from 'sluice';
import { z } from 'zod';
export const c = defineAsset({ key: 'c', config: z.object({ apiToken: z.string().default('none') }), materialize: (ctx) => ({ metadata: { tokenLength: ctx.config.apiToken.length } }) });
`,
      'prod.json': JSON.stringify({ c: { apiToken: { env: 'C_TOKEN' } } }),
    });
    // Env references resolve in the process running the step: here the daemon.
    daemon = await startDaemon(dir, { C_TOKEN: 'secret-from-env' });
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
    expect(JSON.parse(list.stdout)[0]).toMatchObject({ attempts: 3, failures: 0, stepCounts: { SUCCEEDED: 3 } });
    const logs = await sluice(['runs', 'logs', summary.runId], { cwd: dir });
    expect(logs.stdout).toContain('INFO from the daemon');
    const status = await sluice(['daemon', 'status', '--json'], { cwd: dir });
    expect(JSON.parse(status.stdout).map((b: { kind: string; pid: number }) => [b.kind, b.pid])).toEqual([['daemon', daemon.pid]]);
    const bad = await sluice(['materialize', '--select', 'key:zzz'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown asset "zzz"');

    // Named configs go through the daemon's API: stored, listed, and resolved where the store is.
    const set = await sluice(['configs', 'set', 'prod', 'prod.json'], { cwd: dir });
    expect(set.stderr).toBe('');
    expect(set.stdout).toBe('config prod version 1\n');
    const configs = await sluice(['configs', 'list', '--json'], { cwd: dir });
    expect(JSON.parse(configs.stdout)).toMatchObject([{ name: 'prod', latestVersion: 1 }]);
    const withConfig = await sluice(['materialize', '--select', 'key:c', '--config-name', 'prod@1', '--json'], { cwd: dir });
    expect(withConfig.code).toBe(0);
    const configured = JSON.parse(withConfig.stdout);
    expect(configured).toMatchObject({ status: 'SUCCESS', configRef: { name: 'prod', version: 1 } });
    expect(configured.steps[0].materialization.metadata).toEqual({ tokenLength: 'secret-from-env'.length });
    const runLogs = await sluice(['runs', 'logs', configured.runId, '--json'], { cwd: dir });
    expect(runLogs.stdout).not.toContain('secret-from-env');
    const unknownConfig = await sluice(['materialize', '--select', 'key:c', '--config-name', 'prod@2'], { cwd: dir });
    expect(unknownConfig.code).toBe(2);
    expect(unknownConfig.stderr).toContain('run config "prod" has no version 2; it has versions 1 to 1');

    const exited = new Promise<number | null>((resolve) => daemon!.on('exit', resolve));
    daemon.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(join(dir, '.sluice', 'daemon.json'))).toBe(false);
    // With the daemon gone, the CLI opens the store itself and sees the same runs.
    const after = await sluice(['runs', 'list', '--json'], { cwd: dir });
    expect(JSON.parse(after.stdout)).toHaveLength(2);
  });
});
