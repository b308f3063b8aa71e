import { describe, expect, it } from 'vitest';
import { sluice, tempProject } from '../fixtures/cli.js';


// The spawned CLI's stdout is a real pipe (the fixture reads it as it comes), so output past the
// pipe's 64 KiB buffer is cut short if the process exits before stdout drains.
const project = {
  'assets/big.ts': `
import { defineAsset, hourlyPartitions } from 'sluice';
export const hourly = defineAsset({ key: 'raw/hourly', partitions: hourlyPartitions({ start: '2016-01-01-00:00' }), materialize: () => ({}) });
export const chatty = defineAsset({
  key: 'chatty',
  materialize(ctx) {
    for (let i = 0; i < 12_000; i++) ctx.log.info({ i, pad: 'x'.repeat(40) }, 'line ' + i);
    return { metadata: { lines: 12_000 } };
  },
});
`,
};

describe('output through a pipe is complete', () => {
  const dir = tempProject(project);

  it('assets partitions --json: more than 1 MB, parses whole', async () => {
    const res = await sluice(['assets', 'partitions', 'raw/hourly', '--json'], { cwd: dir });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(Buffer.byteLength(res.stdout)).toBeGreaterThan(1_000_000);
    const parsed = JSON.parse(res.stdout) as unknown;
    expect(JSON.stringify(parsed)).toContain('2016-01-01-00:00');
  });

  it('runs logs --json and runs logs: more than 1 MB, every line there', async () => {
    const run = await sluice(['materialize', '--select', 'chatty', '--json'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const runId = (JSON.parse(run.stdout) as { id?: string; runId?: string }).id ?? (JSON.parse(run.stdout) as { runId: string }).runId;
    const logs = await sluice(['runs', 'logs', runId, '--json'], { cwd: dir });
    expect(logs.code, logs.stderr).toBe(0);
    expect(Buffer.byteLength(logs.stdout)).toBeGreaterThan(1_000_000);
    const text = JSON.stringify(JSON.parse(logs.stdout));
    expect(text).toContain('line 0');
    expect(text).toContain('line 11999');
    const plain = await sluice(['runs', 'logs', runId], { cwd: dir });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('line 11999');
  });
});
