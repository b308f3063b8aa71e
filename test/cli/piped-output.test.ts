import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, cliEnv, sluice, tempProject, type CliResult } from '../fixtures/cli.js';

// The spawned CLI's stdout is a real pipe (the fixture reads it as it comes), so output past the
// pipe's 64 KiB buffer is cut short if the process exits before stdout drains. Every command with
// --json whose output can grow with the project or its history is driven past 1 MB here; the
// others (schedules start/stop, configs set/list, runs cancel, daemon status, backfill --detach)
// print a few hundred bytes whatever the project, through the same exit path.
const WIDE = 600;
const PAD = 2_000;
const BLOB = 1_200_000;

const project = {
  'assets/big.ts': `
import { defineAsset, defineAssetCheck, hourlyPartitions } from 'sluice';
import { z } from 'zod';
export const hourly = defineAsset({ key: 'raw/hourly', partitions: hourlyPartitions({ start: '2016-01-01-00:00' }), materialize: () => ({}) });
export const chatty = defineAsset({
  key: 'chatty',
  materialize(ctx) {
    for (let i = 0; i < 12_000; i++) ctx.log.info({ i, pad: 'x'.repeat(40) }, 'line ' + i);
    return { metadata: { lines: 12_000 } };
  },
});
export const big = defineAsset({
  key: 'big',
  config: z.object({ note: z.string().default('') }),
  materialize: () => ({ metadata: { blob: 'b'.repeat(${BLOB}) } }),
});
export const wide = Array.from({ length: ${WIDE} }, (_, i) =>
  defineAsset({ key: 'wide/a' + i, tags: { note: 'y'.repeat(${PAD}) }, materialize: () => ({}) }));
export const wideChecks = wide.map((asset) =>
  defineAssetCheck({ asset, name: 'ok', description: 'z'.repeat(${PAD}), check: () => ({ passed: true }) }));
`,
  'schedules/many.ts': `
import { defineSchedule } from 'sluice';
export const many = Array.from({ length: ${WIDE} }, (_, i) =>
  defineSchedule({ name: 'every_hour_' + i, cron: '0 * * * *', timezone: 'Europe/London', select: 'key:big', description: 'd'.repeat(${PAD}) }));
`,
};

/** Asserts a complete, parseable JSON document of more than 1 MB came through the pipe. */
function bigJson(res: CliResult): unknown {
  expect(res.code, res.stderr).toBe(0);
  expect(Buffer.byteLength(res.stdout)).toBeGreaterThan(1_000_000);
  return JSON.parse(res.stdout) as unknown;
}

describe('output through a pipe is complete', () => {
  const dir = tempProject(project);
  let bigRun: CliResult;
  const bigTags = Array.from({ length: 9 }, (_, i) => ['--tag', `t${i}=${String(i).repeat(120_000)}`]).flat();

  beforeAll(async () => {
    // One run whose summary carries a 1.2 MB materialization and 1 MB of tags.
    bigRun = await sluice(['materialize', '--select', 'key:big', '--json', ...bigTags], { cwd: dir });
    writeFileSync(join(dir, 'big-config.json'), JSON.stringify({ big: { note: 'c'.repeat(BLOB) } }));
    const stored = await sluice(['configs', 'set', 'huge', 'big-config.json'], { cwd: dir });
    expect(stored.code, stored.stderr).toBe(0);
  });

  it('materialize --json, runs show --json, runs list --json and assets show --json: the whole run', async () => {
    const summary = bigJson(bigRun) as { runId: string; status: string; steps: Array<{ materialization: { metadata: { blob: string } } }> };
    expect(summary.status).toBe('SUCCESS');
    expect(summary.steps[0]!.materialization.metadata.blob).toHaveLength(BLOB);
    // One at a time: each opens the embedded store, which one process holds at once.
    const show = await sluice(['runs', 'show', summary.runId, '--json'], { cwd: dir });
    const list = await sluice(['runs', 'list', '--json'], { cwd: dir });
    const asset = await sluice(['assets', 'show', 'big', '--json'], { cwd: dir });
    expect((bigJson(show) as { runId: string }).runId).toBe(summary.runId);
    expect((bigJson(list) as Array<{ tags: Record<string, string> }>)[0]!.tags.t8).toHaveLength(120_000);
    expect((bigJson(asset) as { materializations: Array<{ metadata: { blob: string } }> }).materializations[0]!.metadata.blob).toHaveLength(BLOB);
  });

  it('assets list --json, checks list --json, schedules list --json and schedules preview --json: every definition', async () => {
    // Two commands that open the embedded store (one process at a time), beside two that do not.
    const [[checks, schedules], assets, preview] = await Promise.all([
      sluice(['checks', 'list', '--json'], { cwd: dir }).then(async (first) => [first, await sluice(['schedules', 'list', '--json'], { cwd: dir })] as const),
      sluice(['assets', 'list', '--json'], { cwd: dir }),
      sluice(['schedules', 'preview', 'every_hour_0', '--count', '40000', '--from', '2024-01-01T00:00:00Z', '--json'], { cwd: dir }),
    ]);
    expect((bigJson(assets) as unknown[]).length).toBe(WIDE + 3);
    expect((bigJson(checks) as unknown[]).length).toBe(WIDE);
    expect((bigJson(schedules) as Array<{ description: string }>).map((s) => s.description.length)).toEqual(Array(WIDE).fill(PAD));
    const ticks = bigJson(preview) as string[];
    expect(ticks).toHaveLength(40_000);
    expect(ticks[39_999]).toMatch(/^2028-07-24T/);
  });

  it('configs show --json and assets partitions --json: the whole body and every partition', async () => {
    const config = await sluice(['configs', 'show', 'huge', '--json'], { cwd: dir });
    const partitions = await sluice(['assets', 'partitions', 'raw/hourly', '--json'], { cwd: dir });
    expect((bigJson(config) as { body: { big: { note: string } } }).body.big.note).toHaveLength(BLOB);
    expect(JSON.stringify(bigJson(partitions))).toContain('2016-01-01-00:00');
  });

  it('runs logs --json and runs logs: more than 1 MB, every line there', async () => {
    const run = await sluice(['materialize', '--select', 'chatty', '--json'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const runId = (JSON.parse(run.stdout) as { runId: string }).runId;
    const logs = await sluice(['runs', 'logs', runId, '--json'], { cwd: dir });
    const plain = await sluice(['runs', 'logs', runId], { cwd: dir });
    const text = JSON.stringify(bigJson(logs));
    expect(text).toContain('line 0');
    expect(text).toContain('line 11999');
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('line 11999');
  });

  it('stops quietly when the reader closes the pipe early (| head): no EPIPE stack trace', () => {
    const res = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" assets list --json | head -c 100`], { cwd: dir, env: cliEnv(), encoding: 'utf8' });
    expect(res.status).toBe(0);
    expect(res.stdout).toHaveLength(100);
    expect(res.stderr).toBe('');
  });
});
