import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isSluiceError } from '../../../src/core/errors.js';
import { loadManifest } from '../../../src/integrations/dbt/load-manifest.js';
import { FIXTURES, MANIFEST_V10, MANIFEST_V12, tempDbtProject } from './fixtures/dbt-test-project.js';

const scratch = mkdtempSync(join(tmpdir(), 'sluice-manifest-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Writes a variant of the v12 fixture with `edit` applied, returns its path. */
function variant(name: string, edit: (manifest: any) => unknown): string {
  const manifest = JSON.parse(readFileSync(MANIFEST_V12, 'utf8'));
  edit(manifest);
  const file = join(scratch, name);
  writeFileSync(file, JSON.stringify(manifest));
  return file;
}

function errorOf(fn: () => unknown): { code: string; message: string; data: Record<string, unknown> } {
  try {
    fn();
  } catch (error) {
    if (!isSluiceError(error)) throw error;
    return { code: error.code, message: error.message, data: { ...error.data } };
  }
  throw new Error('expected an error');
}

describe('loadManifest (schema v12, as dbt 1.8 writes it)', () => {
  const project = loadManifest(MANIFEST_V12, { projectDir: '/srv/glucose' });

  it('reads the project name and directory', () => {
    expect(project.name).toBe('glucose');
    expect(project.dir).toBe('/srv/glucose');
    // Without projectDir: the folder above target/, else the manifest's own folder.
    expect(loadManifest(MANIFEST_V12).dir).toBe(FIXTURES);
    const temp = tempDbtProject();
    try {
      expect(loadManifest(join(temp.dir, 'target', 'manifest.json')).dir).toBe(temp.dir);
    } finally {
      temp.remove();
    }
  });

  it('reads models of every materialization, seeds and snapshots, and nothing else', () => {
    expect(Object.fromEntries([...project.nodes.values()].map((n) => [n.uniqueId, `${n.resourceType}:${n.materialized}`]))).toEqual({
      'seed.glucose.device_types': 'seed:seed',
      'model.glucose.stg_entries': 'model:view',
      'model.glucose.int_entries_deduped': 'model:ephemeral',
      'model.glucose.fct_readings': 'model:incremental',
      'model.glucose.daily_stats': 'model:table',
      'snapshot.glucose.devices_snapshot': 'snapshot:snapshot',
    });
  });

  it('keeps a node’s path, fqn, deps, tags, group, description, schema and SQL', () => {
    const fct = project.nodes.get('model.glucose.fct_readings')!;
    expect(fct).toMatchObject({
      name: 'fct_readings',
      packageName: 'glucose',
      originalFilePath: 'models/warehouse/fct_readings.sql',
      fqn: ['glucose', 'warehouse', 'fct_readings'],
      dependsOn: ['model.glucose.int_entries_deduped', 'seed.glucose.device_types'],
      tags: ['daily'],
      group: 'clinical',
      description: 'One row per valid reading.',
      schema: 'dev',
    });
    expect(fct.rawCode).toContain('is_incremental()');
    const stg = project.nodes.get('model.glucose.stg_entries')!;
    expect(stg.group).toBeUndefined();
    expect(stg.dependsOn).toEqual(['source.glucose.raw.entries']);
    expect(project.nodes.get('seed.glucose.device_types')!.dependsOn).toEqual([]);
  });

  it('reads sources with their relation', () => {
    expect(project.sources.get('source.glucose.raw.entries')).toEqual({
      uniqueId: 'source.glucose.raw.entries',
      sourceName: 'raw',
      name: 'entries',
      schema: 'dev',
      identifier: 'entries',
    });
  });

  it('reads generic tests: test name, kwargs, column, attached node, severity', () => {
    const notNull = project.tests.get('test.glucose.not_null_stg_entries_sgv.5f3a2b1c9d')!;
    expect(notNull).toMatchObject({
      name: 'not_null_stg_entries_sgv',
      testName: 'not_null',
      columnName: 'sgv',
      attachedNode: 'model.glucose.stg_entries',
      severity: 'ERROR',
      originalFilePath: 'models/staging/schema.yml',
    });
    const accepted = project.tests.get('test.glucose.accepted_values_stg_entries_direction__Flat__FortyFiveUp__SingleUp.a1b2c3d4e5')!;
    expect(accepted.severity).toBe('WARN');
    expect(accepted.kwargs.values).toEqual(['Flat', 'FortyFiveUp', 'SingleUp']);
    const relationships = project.tests.get('test.glucose.relationships_fct_readings_device__device__ref_device_types_.77e1a9b3c2')!;
    expect(relationships.attachedNode).toBe('model.glucose.fct_readings');
    expect(relationships.kwargs).toMatchObject({ to: "ref('device_types')", field: 'device' });
    expect(project.tests.get('test.glucose.dbt_utils_expression_is_true_daily_stats_readings_0.c0ffee1234')!.testName).toBe(
      'dbt_utils.expression_is_true',
    );
    expect(project.tests.get('test.glucose.source_not_null_raw_entries_date.9d8c7b6a5f')!.attachedNode).toBe('source.glucose.raw.entries');
  });

  it('attaches a singular test that reads one node, and leaves one that reads two unattached', () => {
    const single = project.tests.get('test.glucose.assert_daily_stats_in_range')!;
    expect(single).toMatchObject({ testName: undefined, attachedNode: 'model.glucose.daily_stats', severity: 'ERROR' });
    expect(single.rawCode).toContain("ref('daily_stats')");
    expect(project.tests.get('test.glucose.assert_readings_match_stats')!.attachedNode).toBeUndefined();
  });

  it('ignores analyses and unit tests', () => {
    expect([...project.nodes.keys(), ...project.tests.keys()].some((id) => id.startsWith('analysis.') || id.startsWith('unit_test.'))).toBe(false);
    expect(project.tests.size).toBe(8);
  });
});

describe('loadManifest (schema v10, dbt 1.6)', () => {
  const project = loadManifest(MANIFEST_V10, { projectDir: '/srv/shop' });

  it('reads nodes, sources and tests, including raw_sql and lowercase severity', () => {
    expect(project.name).toBe('shop');
    expect([...project.nodes.keys()].sort()).toEqual(['model.shop.base_orders', 'model.shop.orders_by_country', 'seed.shop.countries']);
    expect(project.nodes.get('model.shop.base_orders')).toMatchObject({ materialized: 'ephemeral', rawCode: "select * from {{ source('app', 'orders') }}" });
    expect(project.sources.get('source.shop.app.orders')).toMatchObject({ sourceName: 'app', name: 'orders', identifier: 'orders_v2', schema: 'app' });
    expect([...project.tests.values()].map((t) => [t.testName, t.attachedNode, t.severity])).toEqual([
      ['not_null', 'model.shop.orders_by_country', 'WARN'],
    ]);
  });
});

describe('loadManifest errors', () => {
  it('names the missing file and says to run dbt parse', () => {
    const error = errorOf(() => loadManifest(join(scratch, 'nope', 'target', 'manifest.json')));
    expect(error.code).toBe('DBT_MANIFEST_NOT_FOUND');
    expect(error.message).toContain(join(scratch, 'nope', 'target', 'manifest.json'));
    expect(error.message).toContain('dbt parse');
  });

  it('refuses a manifest schema older than v10 and newer than v12, naming the file and versions', () => {
    const old = variant('v9.json', (m) => {
      m.metadata.dbt_schema_version = 'https://schemas.getdbt.com/dbt/manifest/v9.json';
      m.metadata.dbt_version = '1.5.4';
    });
    const error = errorOf(() => loadManifest(old));
    expect(error.code).toBe('DBT_MANIFEST_UNSUPPORTED_VERSION');
    expect(error.message).toBe(
      `${old} has manifest schema v9 (written by dbt 1.5.4); Sluice reads v10 to v12: regenerate it with \`dbt parse\` (dbt 1.6 or later) in the dbt project`,
    );
    const future = variant('v13.json', (m) => (m.metadata.dbt_schema_version = 'https://schemas.getdbt.com/dbt/manifest/v13.json'));
    expect(errorOf(() => loadManifest(future))).toMatchObject({ code: 'DBT_MANIFEST_UNSUPPORTED_VERSION', data: { version: 13 } });
  });

  it('reports a file that is not JSON, or not a manifest', () => {
    const garbage = join(scratch, 'garbage.json');
    writeFileSync(garbage, '{"metadata": {');
    expect(errorOf(() => loadManifest(garbage))).toMatchObject({ code: 'DBT_MANIFEST_INVALID' });
    expect(errorOf(() => loadManifest(garbage)).message).toContain(`${garbage} is not valid JSON`);
    const runResults = join(scratch, 'run_results.json');
    writeFileSync(runResults, JSON.stringify({ metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/run-results/v6.json' }, results: [] }));
    const error = errorOf(() => loadManifest(runResults));
    expect(error.code).toBe('DBT_MANIFEST_INVALID');
    expect(error.message).toContain('metadata.dbt_schema_version is "https://schemas.getdbt.com/dbt/run-results/v6.json"');
  });

  it('names the node and field of a malformed node', () => {
    const file = variant('broken-node.json', (m) => delete m.nodes['model.glucose.daily_stats'].original_file_path);
    const error = errorOf(() => loadManifest(file));
    expect(error.code).toBe('DBT_MANIFEST_INVALID');
    expect(error.message).toContain('node "model.glucose.daily_stats": "original_file_path" is missing or not a string');
  });

  it('loads a model of any materialization, keeping it as dbt wrote it (only the native runner refuses it, when it runs)', () => {
    const file = variant('mv.json', (m) => (m.nodes['model.glucose.daily_stats'].config.materialized = 'materialized_view'));
    const project = loadManifest(file);
    expect(project.nodes.get('model.glucose.daily_stats')).toMatchObject({ materialized: 'materialized_view' });
    expect(project.nodes.size).toBe(6);
  });
});
