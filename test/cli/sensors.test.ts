import { afterAll, describe, expect, it } from 'vitest';
import { CliProcess } from '../faults/fixtures/cli-process.js';
import { sluice, tempProject } from '../fixtures/cli.js';

const FILES = {
  'assets/a.ts': `
import { defineAsset } from 'sluice';
export const load = defineAsset({ key: 'load', materialize: () => ({ metadata: { rows: 1 } }) });
`,
  // Each tick asks for the next "file" after its cursor, keyed by it.
  'schedules/inbox.ts': `
import { defineSensor, onAssetEvents } from 'sluice';
export const onLoad = onAssetEvents({ name: 'on_load', assets: 'load', evaluate: () => ({}) });
export const inbox = defineSensor({
  name: 'inbox',
  select: 'load',
  minimumIntervalSeconds: 1,
  evaluate: (ctx) => {
    const next = Number(ctx.cursor ?? 0) + 1;
    return { runRequests: [{ runKey: 'file-' + next, tags: { file: String(next) } }], cursor: String(next) };
  },
});
`,
};

interface Preview {
  cursorBefore: string | null;
  cursorAfter: string | null;
  runs: Array<{ runKey: string; selection: string; steps: number; tags: Record<string, string> }>;
}

let daemon: CliProcess | undefined;
afterAll(async () => {
  await daemon?.kill('SIGKILL');
});

// Every spawned CLI opens the embedded store (~2 s on a loaded machine): one project, few processes.
describe('sluice sensors', () => {
  const dir = tempProject(FILES);
  const json = async <T>(args: string[]): Promise<T> => {
    const res = await sluice([...args, '--json'], { cwd: dir });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    return JSON.parse(res.stdout) as T;
  };

  it('sets the cursor, previews from it without writing anything, lists and starts, all on the store directly', async () => {
    expect(await json(['sensors', 'cursor', 'inbox', '--set', '5'])).toEqual({ name: 'inbox', cursor: '5' });
    const preview = await json<Preview>(['sensors', 'preview', 'inbox']);
    expect(preview).toMatchObject({ cursorBefore: '5', cursorAfter: '6', runs: [{ runKey: 'file-6', selection: 'load', steps: 1 }] });
    expect(preview.runs[0]!.tags).toMatchObject({ file: '6', 'sluice/sensor': 'inbox', 'sluice/run_key': 'file-6' });
    const listed = await json<Array<Record<string, unknown>>>(['sensors', 'list']);
    expect(listed.map((s) => s.name)).toEqual(['inbox', 'on_load']);
    expect(listed[1]).toMatchObject({ type: 'asset', watches: 'assets load', status: 'STOPPED', statusSource: 'default', cursor: null });
    expect(listed[0]).toMatchObject({ name: 'inbox', type: 'standard', status: 'STOPPED', statusSource: 'stored', cursor: '5', lastTick: null, source: 'schedules/inbox.ts' });
    const start = await sluice(['sensors', 'start', 'inbox'], { cwd: dir });
    expect(start.stdout).toBe('sensor inbox: RUNNING, every 1s at most (a sluice daemon evaluates it)\n');
    const unknown = await sluice(['sensors', 'ticks', 'inbx'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('error: unknown sensor "inbx" (did you mean "inbox"?); run `sluice sensors list` to see them\n');
    const badCursor = await sluice(['sensors', 'cursor', 'on_load', '--set', 'yesterday'], { cwd: dir });
    expect(badCursor.code).toBe(2);
    expect(badCursor.stderr).toContain('its cursor is the last event id it saw: give a whole number');
  });

  it('an embedded daemon evaluates it; ticks, preview and stop go through the daemon', async () => {
    daemon = new CliProcess('daemon', ['daemon', '--no-web'], { cwd: dir, env: { SLUICE_SENSOR_POLL_MS: '100' } });
    await daemon.waitForOutput(/ready: executor in-process, project \S+, 0 schedules, 2 sensors\b/, 60_000);
    await daemon.waitForOutput(/sensor tick launched runs/, 60_000);
    const ticks = await json<Array<{ status: string; runIds: string[]; cursorBefore: string; cursorAfter: string }>>(['sensors', 'ticks', 'inbox', '--limit', '50']);
    const first = ticks.at(-1)!;
    expect(first).toMatchObject({ status: 'SUCCESS', cursorBefore: '5', cursorAfter: '6' });
    expect(first.runIds).toHaveLength(1);
    const preview = await json<Preview>(['sensors', 'preview', 'inbox']);
    const cursor = Number(ticks[0]!.cursorAfter);
    expect(Number(preview.cursorBefore)).toBeGreaterThanOrEqual(cursor);
    expect(preview.runs[0]!.runKey).toBe(`file-${Number(preview.cursorBefore) + 1}`);
    expect(await json(['sensors', 'stop', 'inbox'])).toMatchObject({ name: 'inbox', status: 'STOPPED' });
  });
});
