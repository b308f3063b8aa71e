import { describe, expect, it } from 'vitest';
import { sluice, tempProject } from '../fixtures/cli.js';

const asset = (key: string, extra = '') => `export const ${key.replace(/\W/g, '_')} = defineAsset({ key: '${key}', ${extra} materialize() {} });`;

/** One project with one of each problem `sluice check` must report, independent of each other. */
const broken = {
  'assets/a.ts': [
    `import { defineAsset, defineAssetCheck, dailyPartitions, staticPartitions } from 'sluice';`,
    asset('orders'),
    asset('mart', `deps: ['ordrs'],`),
    asset('x', `deps: ['y'],`),
    asset('y', `deps: ['x'],`),
    asset('days', `partitions: dailyPartitions({ start: '2024-01-01' }),`),
    asset('regions', `deps: ['days'], partitions: staticPartitions(['eu']),`),
    `export const c = defineAssetCheck({ asset: 'orderz', name: 'c', check: () => ({ passed: true }) });`,
  ].join('\n'),
  'assets/b.ts': `import { defineAsset } from 'sluice';\n${asset('orders')}`,
  'assets/bad-key.ts': `import { defineAsset } from 'sluice';\nexport const bad = defineAsset({ key: 'bad key!', materialize() {} });`,
  'assets/nested/boom.ts': `throw new Error('kaboom at import');`,
  'schedules/s.ts': [
    `import { defineSchedule } from 'sluice';`,
    `export const s1 = defineSchedule({ name: 's1', cron: '0 99 * * *', timezone: 'UTC', select: '*' });`,
    `export const s2 = defineSchedule({ name: 's2', cron: '0 6 * * *', timezone: 'Mars/Base', select: '*' });`,
    `export const s3 = defineSchedule({ name: 's3', cron: '0 6 * * *', timezone: 'UTC', select: 'key:nope' });`,
    `export const s4 = defineSchedule({ name: 's4', cron: '0 6 * * *', timezone: 'UTC', select: 'key:orders', config: { orders: { a: 1 } } });`,
    `export const ok = defineSchedule({ name: 'ok', cron: '0 6 * * *', timezone: 'UTC', select: 'key:orders' });`,
  ].join('\n'),
};

interface Problem {
  code: string;
  file: string | null;
  message: string;
  fix: string;
}

describe('sluice check', () => {
  it('lists every problem of a project at once, each with its file and fix, and exits 2', { timeout: 120_000 }, async () => {
    const dir = tempProject(broken);
    const json = await sluice(['check', '--json'], { cwd: dir });
    expect(json.code).toBe(2);
    const result = JSON.parse(json.stdout) as { ok: boolean; summary: Record<string, unknown>; problems: Problem[] };
    expect(result.ok).toBe(false);
    const found = result.problems.map((p) => [p.code, p.file]);
    expect(found).toEqual([
      ['MODULE_LOAD_FAILED', 'assets/bad-key.ts'],
      ['MODULE_LOAD_FAILED', 'assets/nested/boom.ts'],
      ['DUPLICATE_ASSET', 'assets/b.ts'],
      ['UNKNOWN_DEPENDENCY', 'assets/a.ts'],
      ['INVALID_PARTITION_MAPPING', 'assets/a.ts'],
      ['UNKNOWN_CHECK_ASSET', 'assets/a.ts'],
      ['DEPENDENCY_CYCLE', 'assets/a.ts'],
      ['INVALID_SCHEDULE', 'schedules/s.ts'],
      ['INVALID_SCHEDULE', 'schedules/s.ts'],
      ['INVALID_SCHEDULE', 'schedules/s.ts'],
      ['INVALID_SCHEDULE', 'schedules/s.ts'],
    ]);
    const byCode = (code: string) => result.problems.filter((p) => p.code === code);
    expect(byCode('MODULE_LOAD_FAILED')[0]!.message).toContain('invalid asset key "bad key!"');
    expect(byCode('UNKNOWN_DEPENDENCY')[0]!.message).toContain('depends on unknown asset "ordrs" (did you mean "orders"?)');
    // An unknown name may be defined by a module that failed to load: the fix says so.
    expect(byCode('UNKNOWN_DEPENDENCY')[0]!.fix).toContain('assets/bad-key.ts, assets/nested/boom.ts first');
    // The message keeps what is wrong; the fix is apart from it.
    expect(byCode('DUPLICATE_ASSET')[0]).toMatchObject({ message: 'asset "orders" is defined twice: in assets/a.ts and in assets/b.ts', fix: 'rename one of them' });
    expect(byCode('INVALID_SCHEDULE').map((p) => p.message)).toEqual([
      expect.stringMatching(/schedule "s1" .*invalid cron "0 99 \* \* \*"/),
      expect.stringMatching(/schedule "s2" .*invalid timezone "Mars\/Base"/),
      expect.stringMatching(/schedule "s3" .*select "key:nope": unknown asset "nope"/),
      expect.stringMatching(/the config of schedule "s4" in schedules\/s\.ts configures asset "orders", which takes no config/),
    ]);
    // Counted around the problems: what did load.
    expect(result.summary).toMatchObject({ modules: 5, assets: 6, partitionedAssets: 2, checks: 0, schedules: 1, sensors: 0, alerts: 0, groups: { default: 6 } });

    const text = await sluice(['check'], { cwd: dir });
    expect(text.code).toBe(2);
    expect(text.stdout).toContain('11 problems:');
    expect(text.stdout).toMatch(/^assets\/b\.ts\n {2}DUPLICATE_ASSET: asset "orders" is defined twice: in assets\/a\.ts and in assets\/b\.ts\n {4}fix: rename one of them$/m);
    expect(text.stdout).toMatch(/^schedules\/s\.ts\n {2}INVALID_SCHEDULE: schedule "s1"/m);
  });

  it('prints the summary and exits 0 for a valid project', { timeout: 60_000 }, async () => {
    const dir = tempProject({
      'assets/a.ts': [`import { defineAsset, defineAssetCheck } from 'sluice';`, asset('raw', `group: 'ingest',`), asset('mart', `deps: ['raw'],`), `export const c = defineAssetCheck({ asset: 'raw', name: 'rows', check: () => ({ passed: true }) });`].join('\n'),
      'schedules/daily.ts': `import { defineSchedule } from 'sluice';\nexport const daily = defineSchedule({ name: 'daily', cron: '0 6 * * *', timezone: 'UTC', select: '*' });`,
    });
    const res = await sluice(['check'], { cwd: dir });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('2 modules');
    expect(res.stdout).toContain('2 assets in 2 groups: default 1, ingest 1');
    expect(res.stdout).toContain('1 check\n');
    expect(res.stdout).toContain('1 schedule\n');
    expect(res.stdout).toContain('ok: no problems found');
  });
});
