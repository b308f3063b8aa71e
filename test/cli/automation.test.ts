import { afterAll, describe, expect, it } from 'vitest';
import { CliProcess } from '../faults/fixtures/cli-process.js';
import { waitFor } from '../faults/fixtures/wait-for.js';
import { sluice, tempProject } from '../fixtures/cli.js';

const ASSETS = {
  'assets/chain.ts': `
import { defineAsset, eager } from 'sluice';
export const a = defineAsset({ key: 'a', materialize: () => {} });
export const b = defineAsset({ key: 'b', deps: [a], automation: eager(), materialize: () => {} });
export const c = defineAsset({ key: 'c', deps: [b], automation: eager(), materialize: () => {} });
`,
};

let daemon: CliProcess | undefined;
afterAll(async () => {
  await daemon?.kill('SIGKILL');
});

describe('sluice automation (through an embedded daemon)', () => {
  it('start, stop and status persist; preview shows the run the next evaluation would launch; why prints the tree', async () => {
    const dir = tempProject(ASSETS);
    daemon = new CliProcess('daemon', ['daemon', '--no-web'], { cwd: dir, env: { SLUICE_AUTOMATION_INTERVAL_MS: '200' } });
    await daemon.waitForOutput(/ready: executor in-process/, 60_000);

    const start = await sluice(['automation', 'start'], { cwd: dir });
    expect(start.stderr).toBe('');
    expect(start.stdout).toMatch(/^automation: RUNNING \(since \S+\); never evaluated\n/);
    // The first evaluation is eager's initial one: nothing requested, the cursor saved.
    await waitFor(
      'a first evaluation',
      async () => {
        const status = JSON.parse((await sluice(['automation', 'status', '--json'], { cwd: dir })).stdout) as { lastEvaluation: unknown };
        return status.lastEvaluation ?? undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, context: () => daemon!.output },
    );
    const stop = await sluice(['automation', 'stop', '--json'], { cwd: dir });
    expect(JSON.parse(stop.stdout)).toMatchObject({ status: 'STOPPED', lastEvaluation: { requestedCount: 0, runIds: [] } });

    expect((await sluice(['materialize', '--select', 'key:a'], { cwd: dir })).code).toBe(0);
    const preview = await sluice(['automation', 'preview'], { cwd: dir });
    expect(preview.stderr).toBe('');
    expect(preview.stdout).toBe('run: b, c\n');

    const why = await sluice(['automation', 'why', 'c'], { cwd: dir });
    expect(why.code).toBe(0);
    const lines = why.stdout.split('\n');
    expect(lines[0]).toMatch(/^c: not requested by the evaluation of \S+$/);
    expect(lines[1]).toBe('- eager: false');
    expect(lines).toContain('  - since_last_handled: false');
    expect(lines).toContain('      - newly_missing: false');
    expect(lines).toContain('        - missing: true');
    expect(lines).toContain('          - will_be_requested: false');
    // `and` stops at since_last_handled: the operands after it were not evaluated.
    expect(lines).toContain('      - and [dep b]: not evaluated');

    const unknown = await sluice(['automation', 'why', 'cc'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown asset "cc"');
  });
});
