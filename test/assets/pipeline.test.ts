import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { glucoseDbt } from '../../assets/dbt/glucose.js';
import { dailyReadingsComplete } from '../../assets/dbt/daily-readings-complete.js';
import { rawEntries } from '../../assets/ingest/raw-entries.js';
import { validReadings } from '../../assets/ingest/valid-readings.js';
import { dayReadings } from '../../assets/lib/day-readings.js';
import { devBranch } from '../../assets/promotion/dev-branch.js';
import { promoteDevToMain } from '../../assets/promotion/promote-dev-to-main.js';
import { publish } from '../../assets/publish/publish.js';
import { tagReleaseAsset } from '../../assets/publish/tag-release.js';
import { branchStatusAsset } from '../../assets/quality/branch-status.js';
import * as qualityChecks from '../../assets/quality/quality-checks.js';
import { partitionTimeWindow, postgresWarehouse, publishTarget, type AssetCursor, type StepLogger, type Warehouse } from '../../src/index.js';

// Opening PGlite takes seconds, more when test files run in parallel.

const noop = () => {};
const log: StepLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, fatal: noop, child: () => log };

interface Resources {
  warehouse: Warehouse;
  publish: Warehouse;
}

/** The demo's three days, as a ranged run gives them to raw/entries and its checks. */
const DAYS = { from: '2024-10-13', to: '2024-10-15' };

/** A step's partition fields: none (an unpartitioned asset), one day, or a range of days. */
function partitionFields(days?: string | { from: string; to: string }) {
  if (days === undefined) return { partitionKey: undefined, partitionKeyRange: undefined, partitionTimeWindow: undefined };
  const range = typeof days === 'string' ? { from: days, to: days } : days;
  const partitionTimeWindow_ = { start: partitionTimeWindow(rawEntries.partitions!, range.from).start, end: partitionTimeWindow(rawEntries.partitions!, range.to).end };
  return typeof days === 'string'
    ? { partitionKey: days, partitionKeyRange: undefined, partitionTimeWindow: partitionTimeWindow_ }
    : { partitionKey: undefined, partitionKeyRange: range, partitionTimeWindow: partitionTimeWindow_ };
}

/** An in-memory cursor (the step runner's keeps it in the run store). */
function memoryCursor(): AssetCursor {
  let value: unknown;
  return { get: async <T>() => value as T | undefined, set: (v: unknown) => void (value = v) };
}

/** The part of a step context every asset and check sees. */
function baseContext(assetKey: string, days?: string | { from: string; to: string }) {
  return { assetKey, log, run: { id: 'run-test', tags: {} }, signal: new AbortController().signal, attempt: 1, cursor: memoryCursor(), ...partitionFields(days) };
}

/** Runs an asset's materialize like the step runner would: config validated, resources injected. */
async function materialize(
  asset: { key: string; config: { safeParse(input: unknown): unknown } | undefined; materialize: (ctx: never) => unknown },
  resources: Resources,
  config: unknown = undefined,
  days?: string | { from: string; to: string },
) {
  const parsed = asset.config?.safeParse(config) as { success: boolean; data: unknown } | undefined;
  if (parsed && !parsed.success) throw new Error(`bad config for ${asset.key}`);
  const ctx = { ...baseContext(asset.key, days), config: parsed?.data, resources };
  return (await asset.materialize(ctx as never)) as { metadata: Record<string, unknown> };
}

async function check(
  definition: { asset: string; name: string; check: (ctx: never) => unknown },
  resources: Resources,
  days?: string | { from: string; to: string },
) {
  const ctx = { ...baseContext(definition.asset, days), checkName: definition.name, resources };
  return (await definition.check(ctx as never)) as { passed: boolean; metadata: Record<string, unknown> };
}

/** The example's dbt models (staging -> warehouse -> marts), built in one step by the native runner; returns the mart's result. */
async function materializeDbt(resources: Resources) {
  const multi = glucoseDbt.find((definition) => definition.kind === 'multi_asset');
  if (!multi || multi.kind !== 'multi_asset') throw new Error('no dbt multi-asset');
  const keys = multi.assets.map((a) => a.key);
  expect(keys.sort()).toEqual(['dbt/daily_glucose', 'dbt/fct_readings', 'dbt/stg_entries']);
  const reported = new Map<string, { metadata: Record<string, unknown> }>();
  const failedChecks: string[] = [];
  const ctx = {
    ...baseContext(keys[0]!),
    name: multi.name,
    config: undefined,
    resources,
    selectedKeys: keys,
    selectedChecks: multi.checks.map((c) => ({ asset: c.asset, name: c.name })),
    report: (key: string, result: { metadata: Record<string, unknown> }) => void reported.set(key, result),
    reportCheck: (key: string, name: string, result: { passed: boolean }) => void (result.passed || failedChecks.push(`${key}#${name}`)),
    cursor: () => memoryCursor(),
  };
  await multi.materialize(ctx as never);
  expect(failedChecks).toEqual([]);
  return reported.get('dbt/daily_glucose')!;
}

/** A Sluice project folder with the example's resources built from its environment. */
async function openProject(): Promise<{ dir: string; resources: Resources; close: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-assets-'));
  const env = { SLUICE_PROJECT: dir };
  const resources = { warehouse: await postgresWarehouse.create(env), publish: await publishTarget.create(env) };
  return {
    dir,
    resources,
    async close() {
      await postgresWarehouse.close!(resources.warehouse);
      await publishTarget.close!(resources.publish);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

describe('the example pipeline on clean data', () => {
  let project: Awaited<ReturnType<typeof openProject>>;
  const results: Record<string, { metadata: Record<string, unknown> }> = {};
  const checks: Record<string, { passed: boolean; metadata: Record<string, unknown> }> = {};

  beforeAll(async () => {
    project = await openProject();
    const { resources } = project;
    results.dev_branch = await materialize(devBranch, resources);
    results.raw = await materialize(rawEntries, resources, {}, DAYS);
    checks.valid_readings = await check(validReadings, resources, DAYS);
    results.daily = await materializeDbt(resources);
    checks.daily_readings_complete = await check(dailyReadingsComplete, resources);
    results.status = await materialize(branchStatusAsset, resources);
    for (const quality of Object.values(qualityChecks)) checks[quality.name] = await check(quality, resources);
    results.promote = await materialize(promoteDevToMain, resources);
    results.publish = await materialize(publish, resources);
    results.release = await materialize(tagReleaseAsset, resources, { date: '2024-10-15' });
  });

  afterAll(() => project?.close());

  it('ingests three days of readings with the default config, late uploads included by now', () => {
    expect(results.raw!.metadata).toMatchObject({
      first_day: '2024-10-13',
      last_day: '2024-10-15',
      days: 3,
      mode: 'full',
      rows: 864,
      bad_rows: 0,
      rows_loaded: 864,
      late_rows: 3 * 14,
      pending_rows: 0,
      received_after: null,
    });
  });

  it('passes the blocking valid_readings check and the WARN completeness check', () => {
    expect(checks.valid_readings).toMatchObject({ passed: true, metadata: { invalid_rows: 0, total_rows: 864, share: 0, days: '2024-10-13...2024-10-15' } });
    expect(checks.daily_readings_complete).toMatchObject({ passed: true, metadata: { days: 3, min_readings: 288 } });
  });

  it('computes the daily summary in SQL, matching the readings it came from', async () => {
    const { rows } = await project.resources.warehouse.query<Record<string, unknown>>('select * from main.daily_glucose order by day');
    expect(rows.map((row) => row.day)).toEqual(['2024-10-13', '2024-10-14', '2024-10-15']);
    const day = dayReadings('2024-10-14').map((entry) => entry.sgv!);
    const mean = day.reduce((a, b) => a + b, 0) / day.length;
    const inRange = day.filter((sgv) => sgv >= 70 && sgv <= 180).length / day.length;
    expect(rows[1]).toEqual({
      day: '2024-10-14',
      readings: 288,
      mean_sgv: Math.round(mean * 10) / 10,
      time_in_range: Math.round(inRange * 10_000) / 10_000,
      min_sgv: Math.min(...day),
      max_sgv: Math.max(...day),
    });
    expect(results.daily!.metadata).toMatchObject({ rows_affected: 3, relation: 'dev.daily_glucose', dbt_status: 'success' });
  });

  it('creates the dev branch, and reports what differs from main before promotion', () => {
    expect(results.dev_branch!.metadata).toMatchObject({ branch: 'dev', main: 'main', created: true });
    expect(results.status!.metadata).toMatchObject({ differs: true, tables_only_in_branch: 4, only_in_branch: { json: ['daily_glucose', 'fct_readings', 'raw_entries', 'stg_entries'] } });
  });

  it('passes every SQL quality check on clean data, each with its failing row count', () => {
    const names = Object.values(qualityChecks).map((c) => c.name).sort();
    expect(names).toHaveLength(6);
    for (const name of names) expect({ name, passed: checks[name]!.passed }).toEqual({ name, passed: true });
    expect(checks.daily_glucose_day_unique!.metadata).toMatchObject({ failing_rows: 0 });
    expect(checks.daily_glucose_has_days!.metadata).toMatchObject({ row_count: 3 });
  });

  it('promotes every table of dev to main and reports their rows', async () => {
    expect(results.promote!.metadata).toMatchObject({ raw_entries_rows: 864, daily_glucose_rows: 3 });
    const { rows } = await project.resources.warehouse.query<{ n: number }>('select count(*)::int as n from main.raw_entries');
    expect(rows[0]!.n).toBe(864);
  });

  it('tags a read-only release of main for the day', async () => {
    expect(results.release!.metadata).toMatchObject({ release: 'release_2024_10_15', releases: 1 });
    const { rows } = await project.resources.warehouse.query<{ n: number }>('select count(*)::int as n from release_2024_10_15.daily_glucose');
    expect(rows[0]!.n).toBe(3);
    await expect(project.resources.warehouse.query('delete from release_2024_10_15.daily_glucose')).rejects.toMatchObject({ code: '25006' });
  });

  it('publishes main.daily_glucose to marts as a plain table with the same rows', async () => {
    expect(results.publish!.metadata).toMatchObject({ rows: 3 });
    const { warehouse } = project.resources;
    const main = await warehouse.query('select * from main.daily_glucose order by day');
    const marts = await project.resources.publish.query('select * from marts.daily_glucose order by day');
    expect(marts.rows).toEqual(main.rows);
    const { rows } = await warehouse.query<{ kind: string }>(
      `select relkind::text as kind from pg_class where oid = 'marts.daily_glucose'::regclass`,
    );
    expect(rows).toEqual([{ kind: 'r' }]);
  });
});

describe('the example pipeline on bad data', () => {
  let project: Awaited<ReturnType<typeof openProject>>;

  beforeAll(async () => {
    project = await openProject();
    await materialize(devBranch, project.resources);
  });

  afterAll(() => project?.close());

  it('fails the blocking valid_readings check when 20% of the rows are bad', async () => {
    const raw = await materialize(rawEntries, project.resources, { badRowShare: 0.2 }, DAYS);
    expect(raw.metadata).toMatchObject({ rows: 864, bad_rows: 3 * 58 });
    const result = await check(validReadings, project.resources, DAYS);
    expect(validReadings).toMatchObject({ severity: 'ERROR', blocking: true });
    expect(result.passed).toBe(false);
    expect(result.metadata).toMatchObject({ invalid_rows: 174, total_rows: 864, share: 0.2014 });
    const { null_sgv, out_of_range, duplicates } = result.metadata as Record<string, number>;
    expect(null_sgv! + out_of_range! + duplicates!).toBe(174);
    expect(Math.min(null_sgv!, out_of_range!, duplicates!)).toBeGreaterThan(0);
    const sample = (result.metadata.sample as { json: Array<{ reason: string }> }).json;
    expect(sample).toHaveLength(5);
    for (const row of sample) expect(['null sgv', 'sgv out of range', 'duplicate timestamp']).toContain(row.reason);
  });

  it('counts only valid readings, each timestamp once, in the daily summary', async () => {
    await materializeDbt(project.resources);
    const { rows } = await project.resources.warehouse.query<{ total: number; lo: number; hi: number }>(
      'select sum(readings)::int as total, min(min_sgv) as lo, max(max_sgv) as hi from dev.daily_glucose',
    );
    expect(rows[0]).toEqual({ total: 864 - 174, lo: expect.any(Number), hi: expect.any(Number) });
    expect(rows[0]!.lo).toBeGreaterThanOrEqual(20);
    expect(rows[0]!.hi).toBeLessThanOrEqual(600);
  });

  it('passes the check up to 1% bad rows, fails just above, and warns on days with too few readings at 50%', async () => {
    await materialize(rawEntries, project.resources, { badRowShare: 0.005 }, DAYS); // round(1.44) = 1 row a day: 0.35%
    expect(await check(validReadings, project.resources, DAYS)).toMatchObject({ passed: true, metadata: { invalid_rows: 3 } });
    await materialize(rawEntries, project.resources, { badRowShare: 0.01 }, DAYS); // round(2.88) = 3 rows a day: 1.04%
    expect(await check(validReadings, project.resources, DAYS)).toMatchObject({ passed: false, metadata: { invalid_rows: 9 } });
    await materialize(rawEntries, project.resources, { badRowShare: 0.5 }, DAYS);
    await materializeDbt(project.resources);
    const warn = await check(dailyReadingsComplete, project.resources);
    expect(dailyReadingsComplete.severity).toBe('WARN');
    expect(warn.passed).toBe(false);
    expect((warn.metadata.short_days as { json: unknown[] }).json).toHaveLength(3);
  });

  it('audits only the days of its run: a bad day fails its own check, not the check of a clean day after it', async () => {
    await materialize(rawEntries, project.resources, { badRowShare: 0.2 }, '2024-10-13');
    await materialize(rawEntries, project.resources, {}, '2024-10-14');
    expect(await check(validReadings, project.resources, '2024-10-14')).toMatchObject({ passed: true, metadata: { total_rows: 288, invalid_rows: 0, days: '2024-10-14' } });
    expect(await check(validReadings, project.resources, '2024-10-13')).toMatchObject({ passed: false, metadata: { total_rows: 288, invalid_rows: 58 } });
    // Without a partition (a run that loaded no day), the whole table.
    expect(await check(validReadings, project.resources)).toMatchObject({ passed: false, metadata: { days: 'all days', total_rows: 864 } });
    // The raw WARN checks of branch_status (unpartitioned) scope by their run's partition tags.
    const sgvPresent = async (tags: Record<string, string>) =>
      (await qualityChecks.rawSgvPresent.check({ ...baseContext('branch_status'), run: { id: 'run-test', tags }, checkName: 'raw_sgv_present', resources: project.resources } as never)) as {
        passed: boolean;
        metadata: Record<string, unknown>;
      };
    expect(await sgvPresent({ 'sluice/partition': '2024-10-14' })).toMatchObject({ passed: true, metadata: { rows: 288, failing_rows: 0, days: '2024-10-14' } });
    expect(await sgvPresent({ 'sluice/partition_range_start': '2024-10-13', 'sluice/partition_range_end': '2024-10-14' })).toMatchObject({ passed: false, metadata: { rows: 576 } });
    expect(await sgvPresent({})).toMatchObject({ passed: false, metadata: { rows: 864, days: 'all days' } });
  });

  it('rejects a config outside its schema', () => {
    expect(rawEntries.config!.safeParse({ lateShare: 2 }).success).toBe(false);
    expect(rawEntries.config!.safeParse({ asOf: '2024-10-16' }).success).toBe(false);
    expect(rawEntries.config!.safeParse({ badRowShare: 2 }).success).toBe(false);
    expect(rawEntries.config!.safeParse({ asOf: '2024-10-16T06:00:00+01:00' }).success).toBe(true);
    expect(rawEntries.config!.safeParse(undefined)).toEqual({
      success: true,
      data: { badRowShare: 0, lateShare: 0.05, fullRefresh: false },
    });
  });
});
