import { afterEach, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { loadDbtProjectFromFiles } from '../../../../src/integrations/dbt/native/load-project-files.js';
import { projectYml, removeProject, writeProject } from './temp-project.js';

const EXAMPLE = resolve(import.meta.dirname, '../../../../dbt');

describe('loadDbtProjectFromFiles on the example project', () => {
  const project = loadDbtProjectFromFiles(EXAMPLE);

  it('reads the models with dbt unique ids, fqn, materializations, tags and deps from ref() and source()', () => {
    expect([...project.nodes.keys()].sort()).toEqual([
      'model.glucose.daily_glucose',
      'model.glucose.fct_readings',
      'model.glucose.int_readings_banded',
      'model.glucose.stg_entries',
    ]);
    const stg = project.nodes.get('model.glucose.stg_entries')!;
    expect(stg).toMatchObject({
      resourceType: 'model',
      name: 'stg_entries',
      packageName: 'glucose',
      originalFilePath: 'models/staging/stg_entries.sql',
      fqn: ['glucose', 'staging', 'stg_entries'],
      materialized: 'table',
      dependsOn: ['source.glucose.raw.entries'],
      tags: ['staging'],
      description: 'Valid CGM readings, one per timestamp.',
    });
    expect(stg.rawCode).toContain("{{ source('raw', 'entries') }}");
    expect(project.nodes.get('model.glucose.int_readings_banded')).toMatchObject({ materialized: 'ephemeral', dependsOn: ['model.glucose.stg_entries'] });
    const fct = project.nodes.get('model.glucose.fct_readings')!;
    expect(fct).toMatchObject({ materialized: 'incremental', dependsOn: ['model.glucose.int_readings_banded'], tags: ['warehouse'] });
    expect(fct.config).toMatchObject({ unique_key: 'read_date' });
    expect(project.nodes.get('model.glucose.daily_glucose')).toMatchObject({ materialized: 'table', dependsOn: ['model.glucose.fct_readings'] });
    expect(project.name).toBe('glucose');
    expect(project.dir).toBe(EXAMPLE);
    expect(project.vars).toEqual({ valid_sgv_min: 20, valid_sgv_max: 600, target_low: 70, target_high: 180 });
  });

  it('reads sources with their schema template and identifier', () => {
    expect([...project.sources.values()]).toEqual([
      { uniqueId: 'source.glucose.raw.entries', sourceName: 'raw', name: 'entries', schema: '{{ target.schema }}', identifier: 'raw_entries' },
    ]);
  });

  it('names generic tests like dbt, attaches them, and takes severity from their config', () => {
    const tests = project.tests;
    expect(tests.get('test.glucose.not_null_stg_entries_sgv')).toMatchObject({
      name: 'not_null_stg_entries_sgv',
      testName: 'not_null',
      attachedNode: 'model.glucose.stg_entries',
      columnName: 'sgv',
      severity: 'ERROR',
      dependsOn: ['model.glucose.stg_entries'],
      originalFilePath: 'models/staging/schema.yml',
    });
    expect(tests.get('test.glucose.source_not_null_raw_entries_sgv')).toMatchObject({
      attachedNode: 'source.glucose.raw.entries',
      severity: 'WARN',
    });
    expect(tests.get('test.glucose.accepted_values_fct_readings_glucose_band__low__in_range__high')).toMatchObject({
      testName: 'accepted_values',
      kwargs: { values: ['low', 'in_range', 'high'], column_name: 'glucose_band' },
      severity: 'ERROR',
    });
    // However long, the name is the full one (dbt hashes only the alias of long test names).
    expect(tests.get('test.glucose.accepted_values_stg_entries_direction__DoubleUp__SingleUp__FortyFiveUp__Flat__FortyFiveDown__SingleDown__DoubleDown')).toMatchObject({
      severity: 'WARN',
      kwargs: { column_name: 'direction' },
    });
    expect(tests.get('test.glucose.relationships_daily_glucose_day__read_date__ref_fct_readings_')).toMatchObject({
      attachedNode: 'model.glucose.daily_glucose',
      dependsOn: ['model.glucose.daily_glucose', 'model.glucose.fct_readings'],
      kwargs: { to: "ref('fct_readings')", field: 'read_date', column_name: 'day' },
      severity: 'WARN',
    });
    expect(tests.get('test.glucose.assert_time_in_range_is_a_share')).toMatchObject({
      testName: undefined,
      attachedNode: 'model.glucose.daily_glucose',
      dependsOn: ['model.glucose.daily_glucose'],
      originalFilePath: 'tests/assert_time_in_range_is_a_share.sql',
      severity: 'ERROR',
    });
    expect(tests.size).toBe(20);
  });
});

describe('loadDbtProjectFromFiles', () => {
  const dirs: string[] = [];
  const load = (files: Record<string, string>) => {
    const dir = writeProject(files);
    dirs.push(dir);
    return loadDbtProjectFromFiles(dir);
  };
  const failure = (files: Record<string, string>) => {
    try {
      load(files);
    } catch (error) {
      return error as { code: string; message: string; data: Record<string, unknown> };
    }
    throw new Error('expected loadDbtProjectFromFiles to throw');
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) removeProject(dir);
  });

  it('applies config in dbt order: dbt_project.yml folders, then property files, then config() in the SQL', () => {
    const project = load({
      'dbt_project.yml': projectYml('shop', `models:\n  +tags: all\n  shop:\n    +materialized: table\n    marts:\n      +materialized: view\n      +tags: [marts]\n      +schema: reporting\n`),
      'models/base.sql': 'select 1 as id',
      'models/marts/orders.sql': "select * from {{ ref('base') }}",
      'models/marts/customers.sql': "{{ config(materialized='incremental', unique_key='id', tags=['sql']) }}\nselect * from {{ ref('base') }}",
      'models/marts/props.yml': 'version: 2\nmodels:\n  - name: orders\n    config:\n      materialized: ephemeral\n      tags: [yml]\n',
    });
    expect(project.nodes.get('model.shop.base')).toMatchObject({ materialized: 'table', tags: ['all'] });
    expect(project.nodes.get('model.shop.orders')).toMatchObject({ materialized: 'ephemeral', tags: ['all', 'marts', 'yml'] });
    expect(project.nodes.get('model.shop.orders')!.config).toMatchObject({ schema: 'reporting' });
    expect(project.nodes.get('model.shop.customers')).toMatchObject({ materialized: 'incremental', tags: ['all', 'marts', 'sql'], fqn: ['shop', 'marts', 'customers'] });
  });

  it('reads model-paths, seeds, older `tests:` keys, `arguments:`, top-level severity and custom test names', () => {
    const project = load({
      'dbt_project.yml': projectYml('shop', 'model-paths: ["transform"]\n'),
      'transform/orders.sql': "select * from {{ ref('countries') }}",
      'seeds/countries.csv': 'code,name\nfr,France\n',
      'transform/schema.yml': [
        'version: 2',
        'models:',
        '  - name: orders',
        '    tests:',
        '      - expression_is_true:',
        '          expression: "id > 0"',
        '    columns:',
        '      - name: status',
        '        tests:',
        '          - accepted_values:',
        '              arguments:',
        '                values: [open, closed]',
        '              severity: warn',
        '          - not_null:',
        '              name: status_present',
        '          - relationships:',
        "              to: \"{{ ref('countries') }}\"",
        '              field: code',
      ].join('\n'),
    });
    expect(project.nodes.get('seed.shop.countries')).toMatchObject({ resourceType: 'seed', materialized: 'seed', originalFilePath: 'seeds/countries.csv' });
    expect(project.nodes.get('model.shop.orders')!.dependsOn).toEqual(['seed.shop.countries']);
    expect(project.tests.get('test.shop.accepted_values_orders_status__open__closed')).toMatchObject({ severity: 'WARN', kwargs: { values: ['open', 'closed'] } });
    expect(project.tests.get('test.shop.status_present')).toMatchObject({ testName: 'not_null', columnName: 'status' });
    expect(project.tests.get('test.shop.expression_is_true_orders_id_0')).toMatchObject({ columnName: undefined, kwargs: { expression: 'id > 0' } });
    // `to` cleaned as dbt cleans it: every run of characters outside [0-9a-zA-Z_] becomes one `_`.
    expect(project.tests.get('test.shop.relationships_orders_status__code___ref_countries_')!.dependsOn).toEqual(['model.shop.orders', 'seed.shop.countries']);
  });

  it('leaves out disabled models and their tests', () => {
    const project = load({
      'dbt_project.yml': projectYml(),
      'models/a.sql': "{{ config(enabled=false) }}\nselect 1 as id",
      'models/b.sql': 'select 1 as id',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [unique]\n',
    });
    expect([...project.nodes.keys()]).toEqual(['model.shop.b']);
    expect(project.tests.size).toBe(0);
  });

  it('still loads SQL outside the native subset (the dbt CLI can run it), finding its refs by pattern', () => {
    const project = load({
      'dbt_project.yml': projectYml(),
      'models/a.sql': 'select 1 as id',
      'models/b.sql': "{% for i in range(3) %}select {{ i }} as n union all {% endfor %}\nselect * from {{ ref('a') }} -- {{ dbt_utils.star(ref('a')) }}",
    });
    expect(project.nodes.get('model.shop.b')!.dependsOn).toEqual(['model.shop.a']);
  });

  it('names the file and line of invalid YAML', () => {
    const error = failure({
      'dbt_project.yml': projectYml(),
      'models/a.sql': 'select 1',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    columns: [\n',
    });
    expect(error.code).toBe('DBT_PROJECT_INVALID');
    expect(error.message).toMatch(/^models\/schema\.yml:\d+: invalid YAML/);
  });

  it('names the file and line of a ref to an unknown model, with a suggestion', () => {
    const error = failure({
      'dbt_project.yml': projectYml(),
      'models/orders.sql': 'select 1 as id',
      'models/report.sql': "select *\nfrom {{ ref('order') }}",
    });
    expect(error.code).toBe('DBT_UNKNOWN_REF');
    expect(error.message).toBe('models/report.sql:2: ref(\'order\') names no model or seed of project "shop" (did you mean "orders"?)');
  });

  it('names the file and line of an undeclared source and of a test on an unknown model', () => {
    expect(failure({ 'dbt_project.yml': projectYml(), 'models/a.sql': "\n\nselect * from {{ source('raw', 'x') }}" }).message).toMatch(
      /^models\/a\.sql:3: source\('raw', 'x'\) is not declared/,
    );
    const error = failure({
      'dbt_project.yml': projectYml(),
      'models/a.sql': 'select 1 as id',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: b\n    columns:\n      - name: id\n        data_tests:\n          - unique\n',
    });
    expect(error.message).toMatch(/^models\/schema\.yml:7: ref\('b'\) names no model/);
  });

  it('rejects duplicate model names, dependency cycles, bad severities and tests listed twice', () => {
    expect(failure({ 'dbt_project.yml': projectYml(), 'models/a.sql': 'select 1', 'models/x/a.sql': 'select 2' }).message).toMatch(
      /^models\/x\/a\.sql: "a" is also defined by models\/a\.sql/,
    );
    const cycle = failure({ 'dbt_project.yml': projectYml(), 'models/a.sql': "select * from {{ ref('b') }}", 'models/b.sql': "select * from {{ ref('a') }}" });
    expect(cycle.message).toContain('cycle: a -> b -> a');
    const severity = failure({
      'dbt_project.yml': projectYml(),
      'models/a.sql': 'select 1 as id',
      'models/s.yml': 'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests:\n          - unique:\n              config:\n                severity: fatal\n',
    });
    expect(severity.message).toMatch(/^models\/s\.yml:7: severity must be "error" or "warn", got "fatal"/);
    const both = failure({
      'dbt_project.yml': projectYml(),
      'models/a.sql': 'select 1 as id',
      'models/s.yml': 'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        tests: [unique]\n        data_tests: [not_null]\n',
    });
    expect(both.message).toMatch(/^models\/s\.yml:6: both "data_tests" and "tests" are set/);
    const twice = failure({
      'dbt_project.yml': projectYml(),
      'models/a.sql': 'select 1 as id',
      'models/s.yml': 'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [unique, unique]\n',
    });
    expect(twice.message).toMatch(/test "unique_a_id" is defined twice/);
  });

  it('says what is missing when there is no dbt_project.yml, or it has no valid name', () => {
    expect(failure({ 'models/a.sql': 'select 1' }).message).toMatch(/^dbt_project\.yml: no dbt_project\.yml in /);
    expect(failure({ 'dbt_project.yml': 'version: 1\nname: my-project\n' }).message).toBe(
      'dbt_project.yml:2: "name" must be a dbt project name (letters, digits, underscores), got "my-project"',
    );
  });

  it('loads a model of any materialization (the dbt CLI runner builds it; the native runner refuses it when it runs)', () => {
    const project = load({ 'dbt_project.yml': projectYml(), 'models/a.sql': "{{ config(materialized='materialized_view') }}\nselect 1", 'models/b.sql': "select * from {{ ref('a') }}" });
    expect(project.nodes.get('model.shop.a')).toMatchObject({ materialized: 'materialized_view' });
    expect(project.nodes.get('model.shop.b')!.dependsOn).toEqual(['model.shop.a']);
  });
});
