import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresWarehouse, type Warehouse } from '../../src/index.js';
import { loadProject } from '../../src/runtime/load-project.js';
import { harness, type Harness } from '../fixtures/harness.js';


const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** The demo's three days (`npm run demo`). */
const DAYS = '2024-10-13...2024-10-15';

/** A fingerprint of a table: row count and a hash of its rows in key order. */
async function fingerprint(warehouse: Warehouse, table: string): Promise<{ rows: number; hash: string }> {
  const { rows } = await warehouse.query<{ rows: number; hash: string }>(
    `select count(*)::int as rows, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as hash from ${table} t`,
  );
  return rows[0]!;
}

/**
 * The example project's real graph (assets/ as Sluice loads it) run through the in-process executor
 * on PGlite for the demo's three days: once clean, once with too many bad rows, then the gating of
 * later runs.
 */
describe('the example pipeline, run by Sluice', () => {
  let dir: string;
  let h: Harness;
  let warehouse: Warehouse;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-pipeline-'));
    const { graph } = await loadProject(REPO);
    h = await harness(graph.assets(), graph.allChecks(), { env: { SLUICE_PROJECT: dir } });
    warehouse = await postgresWarehouse.create({ SLUICE_PROJECT: dir });
  });

  afterAll(async () => {
    await h?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs clean: main promoted, marts published, a release tagged', async () => {
    const run = await h.materialize('*', { partition: DAYS });
    const steps = await h.instance.runs.listSteps(run.id);
    expect(steps.filter((s) => s.status !== 'SUCCEEDED').map((s) => [s.key, s.status, s.error?.message])).toEqual([]);
    expect(run.status).toBe('SUCCESS');
    expect((await fingerprint(warehouse, 'main.daily_glucose')).rows).toBe(3);
    expect((await fingerprint(warehouse, 'main.raw_entries')).rows).toBe(864);
    const [raw] = await h.instance.eventLog.materializations('raw/entries', { limit: 1 });
    expect(raw!.metadata).toMatchObject({ first_day: '2024-10-13', last_day: '2024-10-15', days: 3, mode: 'full', rows: 864, rows_loaded: 864, bad_rows: 0, pending_rows: 0 });
    expect(await fingerprint(warehouse, 'marts.daily_glucose')).toEqual(await fingerprint(warehouse, 'main.daily_glucose'));
    const { rows } = await warehouse.query<{ n: number }>(`select count(*)::int as n from pg_namespace where nspname like 'release\\_%'`);
    expect(rows[0]!.n).toBe(1);
  });

  it('with too many bad rows: FAILURE at the checks, promotion skipped, main and marts unchanged', async () => {
    const before = {
      raw: await fingerprint(warehouse, 'main.raw_entries'),
      daily: await fingerprint(warehouse, 'main.daily_glucose'),
      marts: await fingerprint(warehouse, 'marts.daily_glucose'),
    };
    const run = await h.materialize('*', { partition: DAYS, config: { 'raw/entries': { badRowShare: 0.2 } } });
    expect(run.status).toBe('FAILURE');
    const status = Object.fromEntries((await h.instance.runs.listSteps(run.id)).map((s) => [s.key, s.status]));
    expect(status['raw/entries#valid_readings']).toBe('FAILED');
    for (const key of ['@dbt_glucose', 'branch_status', 'promote_dev_to_main', 'publish', 'tag_release']) expect({ key, status: status[key] }).toEqual({ key, status: 'SKIPPED' });
    expect({
      raw: await fingerprint(warehouse, 'main.raw_entries'),
      daily: await fingerprint(warehouse, 'main.daily_glucose'),
      marts: await fingerprint(warehouse, 'marts.daily_glucose'),
    }).toEqual(before);
  });

  it('refuses a later promotion or quality run while the blocking check of a branch asset is failed, until it passes again', async () => {
    for (const selection of ['key:promote_dev_to_main', 'group:quality']) {
      await expect(h.launch(selection)).rejects.toMatchObject({ code: 'FAILED_CHECK_GATE', message: expect.stringContaining('check "valid_readings" of "raw/entries"') });
    }
    // A clean re-ingest re-evaluates the check; then the quality group runs on its own.
    await expect(h.launch('key:raw/entries')).rejects.toMatchObject({ code: 'PARTITION_REQUIRED' });
    expect((await h.materialize('key:raw/entries', { partition: DAYS })).status).toBe('SUCCESS');
    const quality = await h.materialize('group:quality');
    expect(quality.status).toBe('SUCCESS');
    const keys = (await h.instance.runs.listSteps(quality.id)).map((s) => s.key);
    expect(keys).toContain('branch_status');
    expect(keys.filter((k) => k.startsWith('branch_status#'))).toHaveLength(6);
  });

  it('fails a blocking SQL quality check in the branch audit and so never promotes', async () => {
    // Break the dev mart behind the pipeline's back: a duplicated day.
    await warehouse.query('insert into dev.daily_glucose select * from dev.daily_glucose limit 1');
    const before = await fingerprint(warehouse, 'main.daily_glucose');
    const run = await h.materialize('key:branch_status+');
    expect(run.status).toBe('FAILURE');
    const steps = Object.fromEntries((await h.instance.runs.listSteps(run.id)).map((s) => [s.key, s]));
    expect(steps['branch_status#daily_glucose_day_unique']!.status).toBe('FAILED');
    expect(steps.promote_dev_to_main!.status).toBe('SKIPPED');
    const result = (await h.instance.eventLog.checkResults({ runId: run.id })).find((r) => r.checkName === 'daily_glucose_day_unique')!;
    expect(result.metadata).toMatchObject({ failing_rows: 2, duplicate_keys: 1 });
    expect(await fingerprint(warehouse, 'main.daily_glucose')).toEqual(before);
    await expect(h.launch('key:publish')).rejects.toMatchObject({ code: 'FAILED_CHECK_GATE' });
  });
});
