import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AnyAssetDefinition } from '../../../src/core/asset/asset-definition.js';
import type { AnyCheckDefinition } from '../../../src/core/checks/check-definition.js';
import { dbtAssets } from '../../../src/integrations/dbt/dbt-assets.js';
import { dbtCliRunner } from '../../../src/integrations/dbt/dbt-cli-runner.js';
import { openInstance } from '../../../src/storage/index.js';
import type { Instance } from '../../../src/storage/instance.js';
import { noop } from '../../fixtures/graph.js';
import { harness, type Harness } from '../../fixtures/harness.js';
import { FAKE_DBT, tempDbtProject } from './fixtures/dbt-test-project.js';

// A dbt project loaded with dbtAssets and run by Sluice's executor against PGlite, each asset and
// check step invoking the stand-in dbt.
const glucose = tempDbtProject();
let shared: Instance;
beforeAll(async () => {
  shared = await openInstance({ kind: 'pglite', dataDir: undefined });
});
afterAll(async () => {
  await shared.close();
  glucose.remove();
});

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function pipeline(behavior: Record<string, unknown>): Promise<Harness> {
  const defs = dbtAssets({ projectDir: glucose.dir, runner: dbtCliRunner({ command: FAKE_DBT, env: { FAKE_DBT_BEHAVIOR: JSON.stringify(behavior) } }) });
  const assets = defs.filter((d): d is AnyAssetDefinition => d.kind === 'asset');
  const checks = defs.filter((d): d is AnyCheckDefinition => d.kind === 'check');
  return harness([noop('raw/entries'), noop('raw/devices'), ...assets], checks, { instance: shared });
}

const statusOf = async (runId: string) => Object.fromEntries((await h!.instance.listSteps(runId)).map((s) => [s.key, s.status]));

describe('dbt assets in a real run', () => {
  it('materializes every model, seed and snapshot and records each test as a check result', async () => {
    h = await pipeline({ fct_readings: { rows: 240 }, daily_stats: { rows: 3 } });
    const run = await h.materialize('*', { concurrency: 3 });
    expect(run.status).toBe('SUCCESS');
    const steps = await statusOf(run.id);
    expect(Object.values(steps).every((s) => s === 'SUCCEEDED')).toBe(true);
    expect(Object.keys(steps)).toHaveLength(2 + 5 + 7);

    const mats = (await h.instance.listEvents(run.id, { types: ['MATERIALIZATION'] })).map((e) => e.data as { assetKey: string; metadata: Record<string, unknown> });
    const dbtMats = Object.fromEntries(mats.filter((m) => m.assetKey.startsWith('dbt/')).map((m) => [m.assetKey, m.metadata]));
    expect(Object.keys(dbtMats).sort()).toEqual(['dbt/daily_stats', 'dbt/device_types', 'dbt/devices_snapshot', 'dbt/fct_readings', 'dbt/stg_entries']);
    expect(dbtMats['dbt/fct_readings']).toMatchObject({ dbt_unique_id: 'model.glucose.fct_readings', dbt_status: 'success', rows_affected: 240, dbt_message: 'INSERT 0 240' });
    expect(dbtMats['dbt/daily_stats']).toMatchObject({ rows_affected: 3 });
    expect(typeof dbtMats['dbt/stg_entries']!.execution_time_s).toBe('number');

    const checks = await h.instance.checkResults({ runId: run.id });
    expect(checks).toHaveLength(7);
    expect(checks.every((c) => c.passed)).toBe(true);
    expect(checks.find((c) => c.checkName === 'not_null_stg_entries_sgv')).toMatchObject({ assetKey: 'dbt/stg_entries', severity: 'ERROR', blocking: true });

    // dbt's log lines are the step's log, with node_info.
    const logs = await h.instance.listEvents(run.id, { types: ['LOG'] });
    const stgLogs = logs.filter((e) => e.stepKey === 'dbt/stg_entries').map((e) => e.data as { level: string; msg: string; fields?: Record<string, unknown> });
    const result = stgLogs.find((l) => l.fields?.dbt_event === 'LogModelResult');
    expect(result).toMatchObject({ level: 'info', fields: { node_info: { unique_id: 'model.glucose.stg_entries', node_status: 'success' } } });
    expect(result!.msg).toContain('OK created sql view model dev.stg_entries');
  });

  it('a failing blocking dbt test skips everything downstream; a warning does not; a model error fails its step', async () => {
    h = await pipeline({
      unique_fct_readings_reading_id: { status: 'fail', failures: 3 },
      accepted_values_stg_entries_direction__Flat__FortyFiveUp__SingleUp: { status: 'warn', failures: 2 },
      devices_snapshot: { status: 'error', message: 'Snapshot target is not a snapshot table' },
    });
    const run = await h.materialize('*', { concurrency: 3 });
    expect(run.status).toBe('FAILURE');
    const steps = await statusOf(run.id);
    expect(steps).toMatchObject({
      'dbt/stg_entries': 'SUCCEEDED',
      'dbt/stg_entries#accepted_values_stg_entries_direction__Flat__FortyFiveUp__SingleUp': 'SUCCEEDED',
      'dbt/fct_readings': 'SUCCEEDED',
      'dbt/fct_readings#unique_fct_readings_reading_id': 'FAILED',
      'dbt/daily_stats': 'SKIPPED',
      'dbt/daily_stats#assert_daily_stats_in_range': 'SKIPPED',
      'dbt/devices_snapshot': 'FAILED',
    });
    const checks = await h.instance.checkResults({ runId: run.id });
    expect(checks.find((c) => c.checkName === 'unique_fct_readings_reading_id')).toMatchObject({
      passed: false,
      severity: 'ERROR',
      blocking: true,
      metadata: { failing_rows: 3, dbt_status: 'fail' },
      description: 'dbt test unique_fct_readings_reading_id failed (3 failing rows)',
    });
    expect(checks.find((c) => c.checkName.startsWith('accepted_values'))).toMatchObject({ passed: false, severity: 'WARN', blocking: false, metadata: { failing_rows: 2 } });
    const failed = (await h.instance.listEvents(run.id, { types: ['STEP_FAILED'] })).find((e) => e.stepKey === 'dbt/devices_snapshot')!;
    expect((failed.data as { error: { message: string } }).error.message).toBe('dbt snapshot "devices_snapshot" ended error: Snapshot target is not a snapshot table');
  });
});
