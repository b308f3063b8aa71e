import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnyAssetDefinition } from '../../../src/core/asset/asset-definition.js';
import type { AnyMultiAssetDefinition } from '../../../src/core/asset/multi-asset-definition.js';
import type { AnyCheckDefinition } from '../../../src/core/checks/check-definition.js';
import { isSluiceError } from '../../../src/core/errors.js';
import { dbtAssets, type DbtAssetsOptions } from '../../../src/integrations/dbt/dbt-assets.js';
import type { DbtNodeResult, DbtRunContext, DbtRunner } from '../../../src/integrations/dbt/dbt-project.js';
import { graphOf, noop } from '../../fixtures/graph.js';
import { MANIFEST_V10, recordingLogger, tempDbtProject } from './fixtures/dbt-test-project.js';

const glucose = tempDbtProject();
afterAll(() => glucose.remove());

/** A runner that answers from a table of results and records what it was asked to run. */
function scriptedRunner(results: Record<string, Partial<DbtNodeResult>> = {}) {
  const calls: DbtRunContext[] = [];
  const runner: DbtRunner = {
    kind: 'scripted',
    resources: {},
    async run(ctx) {
      calls.push(ctx);
      return ctx.select
        .filter((id) => results[id] !== undefined)
        .map((id) => ({
          uniqueId: id,
          status: 'success',
          failures: undefined,
          rowsAffected: undefined,
          executionTimeSeconds: undefined,
          message: undefined,
          metadata: {},
          ...results[id],
        }));
    },
  };
  return { runner, calls };
}

function load(options: Partial<DbtAssetsOptions> = {}) {
  const defs = dbtAssets({ projectDir: glucose.dir, runner: scriptedRunner().runner, ...options });
  const multi = defs.find((d): d is AnyMultiAssetDefinition => d.kind === 'multi_asset')!;
  const assets: AnyAssetDefinition[] = [...multi.assets];
  const checks: AnyCheckDefinition[] = [...multi.checks, ...defs.filter((d): d is AnyCheckDefinition => d.kind === 'check')];
  return { defs, multi, assets, checks, asset: (key: string) => assets.find((a) => a.key === key)! };
}

/**
 * Runs the multi-asset's step body for `keys` (and the checks of those keys) with a context that
 * records what it reports, as the step runner would.
 */
async function runSelected(multi: AnyMultiAssetDefinition, keys: string[], signal = new AbortController().signal) {
  const reported: Array<[string, unknown]> = [];
  const checked: Array<[string, string, unknown]> = [];
  const ctx = {
    ...ctxFor(signal),
    name: multi.name,
    selectedKeys: keys,
    selectedChecks: multi.checks.filter((c) => keys.includes(c.asset)).map((c) => ({ asset: c.asset, name: c.name })),
    report: (key: string, result: unknown) => void reported.push([key, result]),
    reportCheck: (key: string, name: string, result: unknown) => void checked.push([key, name, result]),
    cursor: () => ({ get: async () => undefined, set: () => {} }),
  };
  const error = await Promise.resolve(multi.materialize(ctx as never)).then(
    () => undefined,
    (e: unknown) => e as { code: string; message: string },
  );
  return { reported, checked, error };
}

function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    if (!isSluiceError(error)) throw error;
    return { code: error.code, message: error.message };
  }
  throw new Error('expected an error');
}

const ctxFor = (signal = new AbortController().signal) => ({
  assetKey: 'x',
  checkName: 'x',
  log: recordingLogger(),
  run: { id: 'run-1', tags: {} },
  config: undefined,
  resources: {},
  signal,
  attempt: 1,
  partitionKey: undefined,
});

describe('dbtAssets: definitions', () => {
  it('makes one asset per model, seed and snapshot, keyed dbt/<name>, and none for ephemeral models', () => {
    const { assets, defs } = load();
    expect(assets.map((a) => a.key).sort()).toEqual(['dbt/daily_stats', 'dbt/device_types', 'dbt/devices_snapshot', 'dbt/fct_readings', 'dbt/stg_entries']);
    expect(Object.isFrozen(defs)).toBe(true);
    expect(assets.every((a) => Object.isFrozen(a) && a.kinds.join() === 'dbt')).toBe(true);
  });

  it('walks deps through ephemeral models and maps sources onto <source>/<table>', () => {
    const { asset } = load();
    expect(asset('dbt/stg_entries').deps).toEqual(['raw/entries']);
    // fct_readings reads the ephemeral int_entries_deduped, which reads stg_entries.
    expect(asset('dbt/fct_readings').deps).toEqual(['dbt/device_types', 'dbt/stg_entries']);
    expect(asset('dbt/daily_stats').deps).toEqual(['dbt/fct_readings']);
    expect(asset('dbt/devices_snapshot').deps).toEqual(['raw/devices']);
    expect(asset('dbt/device_types').deps).toEqual([]);
  });

  it('builds a valid graph once the source assets exist', () => {
    const { assets, checks } = load();
    const graph = graphOf([noop('raw/entries'), noop('raw/devices'), ...assets], checks);
    expect(graph.keys()).toContain('dbt/daily_stats');
    expect(graph.parents('dbt/fct_readings')).toEqual(['dbt/device_types', 'dbt/stg_entries']);
  });

  it('takes keys and source keys from the given functions; a null source key drops the dep', () => {
    const { asset } = load({
      key: (node) => `warehouse/${node.resourceType}/${node.name}`,
      sourceKey: (source) => (source.name === 'devices' ? null : `ingest/${source.identifier}`),
    });
    expect(asset('warehouse/model/stg_entries').deps).toEqual(['ingest/entries']);
    expect(asset('warehouse/model/fct_readings').deps).toEqual(['warehouse/model/stg_entries', 'warehouse/seed/device_types']);
    expect(asset('warehouse/snapshot/devices_snapshot').deps).toEqual([]);
  });

  it('groups by dbt group, else by first folder under models/, else "dbt"; tags from dbt tags; description', () => {
    const { asset } = load();
    expect(asset('dbt/stg_entries').group).toBe('staging');
    expect(asset('dbt/fct_readings').group).toBe('clinical');
    expect(asset('dbt/daily_stats').group).toBe('marts');
    expect(asset('dbt/device_types').group).toBe('dbt');
    expect(asset('dbt/stg_entries').tags).toEqual({ staging: '', daily: '' });
    expect(asset('dbt/daily_stats').description).toBe('Readings count, mean glucose and time in range per day.');
    expect(load({ group: () => 'transform' }).asset('dbt/stg_entries').group).toBe('transform');
  });

  it('turns attached tests into checks: error -> ERROR and blocking, warn -> WARN; unattached ones are left out', () => {
    const { checks } = load();
    const summary = Object.fromEntries(checks.map((c) => [`${c.asset}#${c.name}`, `${c.severity}${c.blocking ? ' blocking' : ''}`]));
    expect(summary).toEqual({
      'dbt/stg_entries#not_null_stg_entries_sgv': 'ERROR blocking',
      'dbt/stg_entries#accepted_values_stg_entries_direction__Flat__FortyFiveUp__SingleUp': 'WARN',
      'dbt/fct_readings#unique_fct_readings_reading_id': 'ERROR blocking',
      'dbt/fct_readings#relationships_fct_readings_device__device__ref_device_types_': 'ERROR blocking',
      'dbt/daily_stats#dbt_utils_expression_is_true_daily_stats_readings_0': 'WARN',
      'dbt/daily_stats#assert_daily_stats_in_range': 'ERROR blocking',
      'raw/entries#source_not_null_raw_entries_date': 'WARN',
    });
    expect(checks.find((c) => c.name === 'not_null_stg_entries_sgv')!.description).toBe('dbt test not_null on column sgv');
    expect(checks.find((c) => c.name === 'assert_daily_stats_in_range')!.description).toBe('dbt singular test tests/assert_daily_stats_in_range.sql');
  });

  it('selects nodes with `select`, keeping deps on the rest and dropping their checks', () => {
    const { assets, checks } = load({ select: (node) => node.fqn.includes('marts') });
    expect(assets.map((a) => [a.key, a.deps])).toEqual([['dbt/daily_stats', ['dbt/fct_readings']]]);
    expect(checks.map((c) => c.asset)).toEqual(['dbt/daily_stats', 'dbt/daily_stats', 'raw/entries']);
    const noSources = load({ select: (node) => node.fqn.includes('marts'), sourceKey: () => null });
    expect(noSources.checks.map((c) => c.name)).toEqual(['assert_daily_stats_in_range', 'dbt_utils_expression_is_true_daily_stats_readings_0']);
  });

  it('reads a v10 manifest: an ephemeral model between a table and a source', () => {
    const shop = tempDbtProject(MANIFEST_V10);
    try {
      const { assets, checks } = load({ projectDir: shop.dir });
      expect(assets.map((a) => [a.key, a.deps, a.group, a.tags])).toEqual([
        ['dbt/countries', [], 'dbt', {}],
        ['dbt/orders_by_country', ['app/orders', 'dbt/countries'], 'dbt', { finance: '' }],
      ]);
      expect(checks.map((c) => [c.asset, c.name, c.severity, c.blocking])).toEqual([
        ['dbt/orders_by_country', 'not_null_orders_by_country_country', 'WARN', false],
      ]);
    } finally {
      shop.remove();
    }
  });
});

describe('dbtAssets: errors', () => {
  it('without a manifest, reads the project from its SQL files; without dbt_project.yml, says so', () => {
    const files = tempDbtProject(null);
    try {
      mkdirSync(join(files.dir, 'models', 'staging'), { recursive: true });
      mkdirSync(join(files.dir, 'models', 'marts'), { recursive: true });
      writeFileSync(join(files.dir, 'models', 'staging', 'stg_a.sql'), 'select 1 as id\n');
      writeFileSync(join(files.dir, 'models', 'marts', 'b.sql'), "select * from {{ ref('stg_a') }}\n");
      const { assets } = load({ projectDir: files.dir });
      expect(assets.map((a) => [a.key, a.deps, a.group])).toEqual([
        ['dbt/b', ['dbt/stg_a'], 'marts'],
        ['dbt/stg_a', [], 'staging'],
      ]);
    } finally {
      files.remove();
    }
    const empty = mkdtempSync(join(tmpdir(), 'sluice-not-dbt-'));
    try {
      expect(() => dbtAssets({ projectDir: empty })).toThrow('dbt_project.yml');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('reads manifestPath relative to the project and reports it when missing', () => {
    const error = errorOf(() => dbtAssets({ projectDir: glucose.dir, manifestPath: 'artifacts/manifest.json' }));
    expect(error.code).toBe('DBT_MANIFEST_NOT_FOUND');
    expect(error.message).toContain(`${glucose.dir}/artifacts/manifest.json`);
    expect(load({ manifestPath: 'target/manifest.json' }).assets).toHaveLength(5);
  });

  it('rejects an invalid key naming the node, and two nodes on one key', () => {
    const invalid = errorOf(() => load({ key: (node) => `dbt.${node.name}` }));
    expect(invalid.code).toBe('DBT_INVALID_KEY');
    expect(invalid.message).toContain('gave "dbt.daily_stats" for dbt model "daily_stats" (model.glucose.daily_stats)');
    const duplicate = errorOf(() => load({ key: (node) => `dbt/${node.resourceType}` }));
    expect(duplicate.code).toBe('DBT_DUPLICATE_KEY');
    expect(duplicate.message).toContain('both map to the asset key "dbt/model"');
    expect(errorOf(() => load({ sourceKey: () => 'raw entries' })).code).toBe('DBT_INVALID_KEY');
  });
});

describe('dbtAssets: running nodes and tests through the runner', () => {
  const STG = 'model.glucose.stg_entries';
  const FCT = 'model.glucose.fct_readings';
  const NOT_NULL = 'test.glucose.not_null_stg_entries_sgv.5f3a2b1c9d';
  const ACCEPTED = 'test.glucose.accepted_values_stg_entries_direction__Flat__FortyFiveUp__SingleUp.a1b2c3d4e5';

  function withResults(results: Record<string, Partial<DbtNodeResult>>) {
    const scripted = scriptedRunner(results);
    return { ...load({ runner: scripted.runner }), calls: scripted.calls };
  }

  it('runs the selected nodes and their tests in one runner call, with the step signal, and maps rows and timing to metadata', async () => {
    const { multi, calls } = withResults({
      [STG]: { status: 'success', rowsAffected: 120, executionTimeSeconds: 0.4567, message: 'SELECT 120' },
      [FCT]: { status: 'success' },
      [NOT_NULL]: { status: 'pass', failures: 0 },
      [ACCEPTED]: { status: 'pass', failures: 0 },
    });
    const abort = new AbortController();
    const { reported, checked, error } = await runSelected(multi, ['dbt/stg_entries', 'dbt/fct_readings'], abort.signal);
    expect(error).toBeUndefined();
    expect(calls).toHaveLength(1);
    expect([...calls[0]!.select].sort()).toEqual([ACCEPTED, FCT, NOT_NULL, STG, 'test.glucose.relationships_fct_readings_device__device__ref_device_types_.77e1a9b3c2', 'test.glucose.unique_fct_readings_reading_id.0badc0ffee'].sort());
    expect(calls[0]!.signal).toBe(abort.signal);
    expect(calls[0]!.project.name).toBe('glucose');
    expect(reported).toContainEqual([
      'dbt/stg_entries',
      { metadata: { dbt_unique_id: STG, dbt_status: 'success', rows_affected: 120, execution_time_s: 0.457, dbt_message: 'SELECT 120' } },
    ]);
    expect(checked.map(([key, name, result]) => [key, name, (result as { passed: boolean }).passed])).toEqual([
      ['dbt/stg_entries', 'accepted_values_stg_entries_direction__Flat__FortyFiveUp__SingleUp', true],
      ['dbt/stg_entries', 'not_null_stg_entries_sgv', true],
    ]);
  });

  it('reports what succeeded and fails with dbt’s message when a node errors; a skipped node is not reported', async () => {
    const failing = withResults({ [STG]: { status: 'error', message: 'relation "raw.entries" does not exist' }, [FCT]: { status: 'skipped' } });
    const { reported, error } = await runSelected(failing.multi, ['dbt/stg_entries', 'dbt/fct_readings']);
    expect(reported).toEqual([]);
    expect(error).toMatchObject({ code: 'DBT_NODE_FAILED', message: 'dbt model "stg_entries" ended error: relation "raw.entries" does not exist' });
  });

  it('maps test outcomes onto check results: pass, fail with failing rows, warn by severity, error fails the step', async () => {
    const run = async (id: string, result: Partial<DbtNodeResult>) => {
      const { multi } = withResults({ [STG]: { status: 'success' }, [id]: result });
      const { checked, error } = await runSelected(multi, ['dbt/stg_entries']);
      return { result: checked.find(([, , ]) => true)?.[2], error };
    };
    expect((await run(NOT_NULL, { status: 'pass', failures: 0 })).result).toMatchObject({ passed: true, metadata: { failing_rows: 0 } });
    expect((await run(NOT_NULL, { status: 'fail', failures: 3 })).result).toEqual({
      passed: false,
      description: 'dbt test not_null_stg_entries_sgv failed (3 failing rows)',
      metadata: { dbt_unique_id: NOT_NULL, dbt_status: 'fail', failing_rows: 3 },
    });
    expect((await run(ACCEPTED, { status: 'warn', failures: 1 })).result).toMatchObject({ passed: false, metadata: { failing_rows: 1 } });
    // An ERROR test that only crossed warn_if: dbt does not fail the build, so the check does not block.
    expect((await run(NOT_NULL, { status: 'warn', failures: 2 })).result).toMatchObject({
      passed: true,
      description: 'dbt test not_null_stg_entries_sgv warned (2 failing rows), under its error_if threshold',
    });
    expect((await run(NOT_NULL, { status: 'error', message: 'column "sgv" does not exist' })).error).toMatchObject({ code: 'DBT_TEST_ERROR' });
  });

  it('says how to map a source that is not an asset of the project', () => {
    const { assets } = load();
    expect(() => graphOf(assets)).toThrow(
      /depends on unknown asset "raw\/entries".*it is dbt source "raw.entries": define an asset "raw\/entries" that loads it, map it onto another asset with dbtAssets\(\{ sourceKey \}\), or leave sources out of the graph with dbtAssets\(\{ sourceKey: \(\) => null \}\)/,
    );
  });
});
