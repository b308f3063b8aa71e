import { afterEach, describe, expect, it } from 'vitest';
import { CliProcess } from '../faults/fixtures/cli-process.js';
import { waitFor } from '../faults/fixtures/wait-for.js';
import { REPO, sluice, tempProject } from '../fixtures/cli.js';

const ASSETS = {
  'assets/a.ts': `
import { defineAsset } from 'sluice';
export const load = defineAsset({ key: 'load', materialize: () => ({ metadata: { rows: 1 } }) });
export const publish = defineAsset({ key: 'publish', deps: [load], materialize: () => {} });
`,
};

function scheduleFile(fields: string): Record<string, string> {
  return { 'schedules/nightly.ts': `import { defineSchedule } from 'sluice';\nexport const nightly = defineSchedule({ ${fields} });\n` };
}

const NIGHTLY = scheduleFile(`name: 'nightly', cron: '30 1 * * *', timezone: 'Europe/London', select: '+key:publish', description: 'nightly load'`);

let daemon: CliProcess | undefined;
afterEach(async () => {
  await daemon?.kill('SIGKILL');
  daemon = undefined;
});

describe('sluice schedules', () => {
  it('previews three consecutive 06:00 Europe/London instants of the example daily_promotion', async () => {
    const res = await sluice(['schedules', 'preview', 'daily_promotion', '--count', '3', '--json'], { cwd: REPO });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const ticks = JSON.parse(res.stdout) as string[];
    expect(ticks).toHaveLength(3);
    for (const tick of ticks) expect(tick).toMatch(/^\d{4}-\d{2}-\d{2}T06:00:00\+0[01]:00$/);
    const days = ticks.map((t) => Date.parse(t.slice(0, 10)));
    expect([days[1]! - days[0]!, days[2]! - days[1]!]).toEqual([86_400_000, 86_400_000]);

    const spring = await sluice(['schedules', 'preview', 'daily_promotion', '--count', '3', '--from', '2026-03-28T12:00:00Z', '--json'], { cwd: REPO });
    expect(JSON.parse(spring.stdout)).toEqual(['2026-03-29T06:00:00+01:00', '2026-03-30T06:00:00+01:00', '2026-03-31T06:00:00+01:00']);
    const text = await sluice(['schedules', 'preview', 'daily_promotion', '--count', '2', '--from', '2026-11-22T12:00:00Z'], { cwd: REPO });
    expect(text.stdout).toBe('2026-11-23T06:00:00+00:00\n2026-11-24T06:00:00+00:00\n');
  });

  it('the example daily_promotion selects the whole pipeline: every asset of the example project', async () => {
    const { loadProject } = await import('../../src/runtime/load-project.js');
    const { selectAssets } = await import('../../src/core/selection/index.js');
    const project = await loadProject(REPO);
    const daily = project.schedules.find((s) => s.definition.name === 'daily_promotion')!;
    expect(daily.definition).toMatchObject({ cron: '0 6 * * *', timezone: 'Europe/London', defaultStatus: 'STOPPED' });
    expect([...selectAssets(daily.definition.select, project.graph)].sort()).toEqual(project.graph.keys());
  });

  it('rejects an unknown schedule name with a suggestion and a bad --from, exit 2', async () => {
    const unknown = await sluice(['schedules', 'preview', 'daily_promoton'], { cwd: REPO });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('error: unknown schedule "daily_promoton" (did you mean "daily_promotion"?); run `sluice schedules list` to see them\n');
    const badFrom = await sluice(['schedules', 'preview', 'daily_promotion', '--from', 'yesterday'], { cwd: REPO });
    expect(badFrom.code).toBe(2);
    expect(badFrom.stderr).toContain('--from must be an ISO-8601 date');
  });

  // Several CLI processes each opening the embedded store: slow on a loaded machine.
  it('lists schedules with their default status, then start and stop persist it', async () => {
    const dir = tempProject({ ...ASSETS, ...NIGHTLY });
    const list = async () => {
      const res = await sluice(['schedules', 'list', '--json'], { cwd: dir });
      expect(res.code).toBe(0);
      return JSON.parse(res.stdout) as Array<Record<string, unknown>>;
    };
    const initial = await list();
    expect(initial).toMatchObject([
      { name: 'nightly', cron: '30 1 * * *', timezone: 'Europe/London', status: 'STOPPED', statusSource: 'default', lastTick: null, source: 'schedules/nightly.ts' },
    ]);
    expect(initial[0]!.nextTick).toMatch(/T01:30:00\+0[01]:00$/);

    const start = await sluice(['schedules', 'start', 'nightly'], { cwd: dir });
    expect(start.code).toBe(0);
    expect(start.stdout).toMatch(/^schedule nightly: RUNNING since \S+; next tick \S+T01:30:00\+0[01]:00/);
    expect(await list()).toMatchObject([{ status: 'RUNNING', statusSource: 'stored' }]);
    const table = await sluice(['schedules', 'list'], { cwd: dir });
    expect(table.stdout).toMatch(/^NAME\s+CRON\s+TIMEZONE\s+STATUS\s+NEXT TICK\s+LAST TICK\s+RUN\nnightly\s+30 1 \* \* \*\s+Europe\/London\s+RUNNING\s+\S+T01:30/);

    const stop = await sluice(['schedules', 'stop', 'nightly', '--json'], { cwd: dir });
    expect(JSON.parse(stop.stdout)).toMatchObject({ name: 'nightly', status: 'STOPPED' });
    expect(await list()).toMatchObject([{ status: 'STOPPED', statusSource: 'stored' }]);
    const ticks = await sluice(['schedules', 'ticks', 'nightly'], { cwd: dir });
    expect(ticks.stdout).toBe('schedule nightly has no ticks yet\n');
  });

  it('fails to load a schedule with an invalid cron, time zone or selection, naming it and its file (exit 2)', async () => {
    const cases: Array<[string, RegExp]> = [
      [`name: 'nightly', cron: '61 1 * * *', timezone: 'UTC', select: '*'`, /schedule "nightly" in schedules\/nightly\.ts: invalid cron "61 1 \* \* \*": CronPattern: .*minute/],
      [`name: 'nightly', cron: '0 6 * * *', timezone: 'Europe/Lundon', select: '*'`, /schedule "nightly" in schedules\/nightly\.ts: invalid timezone "Europe\/Lundon"/],
      [`name: 'nightly', cron: '0 6 * * *', timezone: 'UTC', select: 'key:publsh'`, /schedule "nightly" in schedules\/nightly\.ts: select "key:publsh": .*did you mean/],
    ];
    for (const [fields, message] of cases) {
      const dir = tempProject({ ...ASSETS, ...scheduleFile(fields) });
      for (const args of [['schedules', 'list'], ['assets', 'list']]) {
        const res = await sluice(args, { cwd: dir });
        expect(res.code).toBe(2);
        expect(res.stderr).toMatch(message);
      }
    }
  });

  it('an embedded daemon launches the ticks of a schedule started from the CLI while it holds the store', async () => {
    const dir = tempProject({ ...ASSETS, ...scheduleFile(`name: 'often', cron: '* * * * * *', timezone: 'Asia/Kolkata', select: '*'`) });
    daemon = new CliProcess('daemon', ['daemon'], { cwd: dir, env: {} });
    await daemon.waitForOutput(/ready: executor in-process, project \S+, 1 schedule\b/, 60_000);
    const start = await sluice(['schedules', 'start', 'often'], { cwd: dir });
    expect(start.code).toBe(0);
    const ticks = await waitFor(
      'two launched ticks',
      async () => {
        const res = await sluice(['schedules', 'ticks', 'often', '--json'], { cwd: dir });
        const parsed = JSON.parse(res.stdout) as Array<{ status: string; runId: string | null; scheduledFor: string; scheduledForLocal: string }>;
        return parsed.filter((t) => t.status === 'SUCCESS').length >= 2 ? parsed : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 300, context: () => daemon!.output },
    );
    expect((await sluice(['schedules', 'stop', 'often'], { cwd: dir })).code).toBe(0);
    const tick = ticks.find((t) => t.status === 'SUCCESS')!;
    expect(tick.scheduledForLocal).toMatch(/\+05:30$/);
    const show = await sluice(['runs', 'show', tick.runId!, '--json'], { cwd: dir });
    expect(JSON.parse(show.stdout)).toMatchObject({ runId: tick.runId, trigger: 'schedule:often', tags: { 'sluice/schedule': 'often', 'sluice/scheduled_for': tick.scheduledFor } });
  });
});
