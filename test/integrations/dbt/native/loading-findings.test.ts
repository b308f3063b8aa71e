import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbtNodeResult } from '../../../../src/integrations/dbt/dbt-project.js';
import { loadManifest } from '../../../../src/integrations/dbt/load-manifest.js';
import { loadDbtProjectFromFiles } from '../../../../src/integrations/dbt/native/load-project-files.js';
import { nativeRunner } from '../../../../src/integrations/dbt/native/native-runner.js';
import { RunTarget } from '../../../../src/integrations/dbt/native/run-target.js';
import { openPgliteWarehouse } from '../../../../src/integrations/postgres/open-pglite-warehouse.js';
import type { Warehouse } from '../../../../src/integrations/postgres/warehouse.js';
import { MANIFEST_V12 } from '../fixtures/dbt-test-project.js';
import { projectYml, recordingLogger, removeProject, writeProject } from './temp-project.js';

/**
 * What real projects showed the native support got wrong (issue 14): a materialization it lacks
 * must not stop a project from loading; a manifest's resolved config must be honoured; from
 * files, refs made in macros, var-driven `enabled` and the project's generate_schema_name count.
 */

const scratch = mkdtempSync(join(tmpdir(), 'sluice-findings-'));
const dirs: string[] = [];
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  for (const dir of dirs) removeProject(dir);
});

/** The v12 fixture manifest with `edit` applied. */
function manifestWith(name: string, edit: (manifest: any) => void) {
  const manifest = JSON.parse(readFileSync(MANIFEST_V12, 'utf8'));
  edit(manifest);
  const file = join(scratch, `${name}.json`);
  writeFileSync(file, JSON.stringify(manifest));
  return loadManifest(file, { projectDir: scratch });
}

function files(entries: Record<string, string>) {
  const dir = writeProject({ 'dbt_project.yml': projectYml(), ...entries });
  dirs.push(dir);
  return loadDbtProjectFromFiles(dir);
}

describe('a manifest: its resolved config is honoured', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await openPgliteWarehouse();
  });
  afterAll(async () => {
    await warehouse.close();
  });
  const refusal = async (project: ReturnType<typeof loadManifest>, select: string[]) => {
    try {
      await nativeRunner({ warehouse: 'warehouse' }).run({ project, select, log: recordingLogger(), signal: new AbortController().signal, resources: { warehouse } });
    } catch (error) {
      return error as { code: string; message: string };
    }
    throw new Error('expected the native runner to refuse');
  };

  it('builds into the custom schema (+schema) and under the alias the manifest resolved', () => {
    const project = manifestWith('schema-alias', (m) => {
      Object.assign(m.nodes['model.glucose.daily_stats'].config, { schema: 'marts', alias: 'stats_by_day' });
    });
    const target = new RunTarget(project, { schema: 'dev' });
    expect(target.relationOf(project.nodes.get('model.glucose.daily_stats')!).render()).toBe('"dev_marts"."stats_by_day"');
    expect(target.relationOf(project.nodes.get('model.glucose.stg_entries')!).render()).toBe('"dev"."stg_entries"');
  });

  it('refuses, naming the model, a hook, a Python model and a materialization it lacks; the project still loads', async () => {
    const project = manifestWith('refusals', (m) => {
      m.nodes['model.glucose.daily_stats'].config['post-hook'] = [{ sql: 'grant select on {{ this }} to reporter', transaction: true, index: null }];
      m.nodes['model.glucose.stg_entries'].language = 'python';
      m.nodes['model.glucose.fct_readings'].config.materialized = 'materialized_view';
    });
    expect(project.nodes.size).toBe(6);
    const hook = await refusal(project, ['model.glucose.daily_stats']);
    expect(hook.code).toBe('DBT_UNSUPPORTED');
    expect(hook.message).toMatch(/^models\/marts\/daily_stats\.sql: model "daily_stats" has a post-hook .*: the native runner does not run hooks; run the project with the dbt CLI runner \(dbtCliRunner\)/);
    expect((await refusal(project, ['model.glucose.stg_entries'])).message).toMatch(/model "stg_entries" is a Python model: the native runner compiles SQL models only/);
    expect((await refusal(project, ['model.glucose.fct_readings'])).message).toMatch(/model "fct_readings" is materialized as "materialized_view"/);
  });

  it('keeps the root project\'s macros and names the packages it installs', () => {
    const project = manifestWith('macros', (m) => {
      m.macros = {
        'macro.glucose.cents': { name: 'cents', package_name: 'glucose', original_file_path: 'macros/cents.sql', macro_sql: '{% macro cents(x) %}{{ x }} * 100{% endmacro %}' },
        'macro.dbt_utils.star': { name: 'star', package_name: 'dbt_utils', original_file_path: 'macros/star.sql', macro_sql: '{% macro star() %}*{% endmacro %}' },
        'macro.dbt.run_query': { name: 'run_query', package_name: 'dbt', original_file_path: 'macros/etc.sql', macro_sql: '{% macro run_query() %}{% endmacro %}' },
      };
    });
    expect(project.macros).toEqual([{ file: 'macros/cents.sql', sql: '{% macro cents(x) %}{{ x }} * 100{% endmacro %}' }]);
    expect(project.packages).toEqual(['dbt_utils']);
  });
});

describe('a project read from files, as dbt parses it', () => {
  it('counts refs and sources made inside macros as dependencies', () => {
    const project = files({
      'macros/relations.sql': "{% macro orders() %}{{ return(ref('orders')) }}{% endmacro %}\n{% macro events() %}{{ source('app', 'events') }}{% endmacro %}",
      'models/orders.sql': 'select 1 as id',
      'models/report.sql': 'select * from {{ orders() }} join {{ events() }} using (id)',
      'models/sources.yml': 'version: 2\nsources:\n  - name: app\n    tables:\n      - name: events\n',
    });
    expect(project.nodes.get('model.shop.report')!.dependsOn).toEqual(['model.shop.orders', 'source.shop.app.events']);
  });

  it('evaluates enabled: config(enabled=var(...)) in SQL, and "{{ var(...) }}" in dbt_project.yml and property files', () => {
    const dir = writeProject({
      'dbt_project.yml': projectYml('shop', `vars:\n  with_extra: false\nmodels:\n  shop:\n    extra:\n      +enabled: "{{ var('extra_folder', false) }}"\n`),
      'models/a.sql': "{{ config(enabled=var('with_extra')) }}\nselect 1 as id",
      'models/b.sql': "{{ config(enabled=not var('with_extra')) }}\nselect 1 as id",
      'models/extra/c.sql': 'select 1 as id',
      'models/d.sql': 'select 1 as id',
      'models/props.yml': "version: 2\nmodels:\n  - name: d\n    config:\n      enabled: \"{{ var('with_extra') }}\"\n",
    });
    dirs.push(dir);
    expect([...loadDbtProjectFromFiles(dir).nodes.keys()]).toEqual(['model.shop.b']);
    expect([...loadDbtProjectFromFiles(dir, { vars: { with_extra: true, extra_folder: true } }).nodes.keys()].sort()).toEqual(['model.shop.a', 'model.shop.c', 'model.shop.d']);
  });

  it("names schemas with the project's generate_schema_name when it has one, else dbt's", () => {
    const plain = files({ 'models/a.sql': "{{ config(schema='marts') }}\nselect 1" });
    expect(new RunTarget(plain, { schema: 'dev' }).schemaOf(plain.nodes.get('model.shop.a')!)).toBe('dev_marts');
    const custom = files({
      'macros/schemas.sql': `{% macro generate_schema_name(custom_schema_name, node) -%}
  {%- if target.name == 'prod' and custom_schema_name is not none -%}{{ custom_schema_name | trim }}
  {%- elif custom_schema_name is none -%}{{ target.schema }}
  {%- else -%}{{ node.name }}_in_{{ default__generate_schema_name(custom_schema_name, node) }}{%- endif %}
{%- endmacro %}`,
      'models/a.sql': "{{ config(schema='marts') }}\nselect 1",
      'models/b.sql': 'select 1',
    });
    const dev = new RunTarget(custom, { schema: 'dev' });
    expect(dev.schemaOf(custom.nodes.get('model.shop.a')!)).toBe('a_in_dev_marts');
    expect(dev.schemaOf(custom.nodes.get('model.shop.b')!)).toBe('dev');
    expect(new RunTarget(custom, { schema: 'dev', targetName: 'prod' }).schemaOf(custom.nodes.get('model.shop.a')!)).toBe('marts');
  });

  it('loads a Python model with its dbt.ref() dependencies, and a model using a package, for the dbt CLI runner', () => {
    const project = files({
      'packages.yml': 'packages:\n  - package: dbt-labs/dbt_utils\n    version: 1.3.0\n',
      'models/a.sql': 'select 1 as id',
      'models/py_model.py': 'def model(dbt, session):\n    dbt.config(materialized="table")\n    return dbt.ref("a")\n',
      'models/star.sql': "select {{ dbt_utils.star(ref('a')) }} from {{ ref('a') }}",
    });
    expect(project.nodes.get('model.shop.py_model')).toMatchObject({ language: 'python', materialized: 'table', dependsOn: ['model.shop.a'] });
    expect(project.nodes.get('model.shop.star')!.dependsOn).toEqual(['model.shop.a']);
    expect(project.packages).toEqual(['dbt_utils']);
  });
});

describe('nativeRunner onResult', () => {
  it('hands over each result as soon as its node or test finishes, before the next one runs', async () => {
    const warehouse = await openPgliteWarehouse();
    try {
      const dir = writeProject({
        'dbt_project.yml': projectYml(),
        'models/a.sql': "{{ log('compiling a', info=true) }}select 1 as id",
        'models/b.sql': "{{ log('compiling b', info=true) }}select * from {{ ref('a') }}",
        'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [unique]\n',
      });
      dirs.push(dir);
      const project = loadDbtProjectFromFiles(dir);
      const events: string[] = [];
      const log = recordingLogger();
      const info = log.info;
      log.info = (a: unknown, b?: string) => {
        if (b?.startsWith('compiling')) events.push(b);
        info(a as never, b as never);
      };
      const handed: DbtNodeResult[] = [];
      const results = await nativeRunner({ warehouse: 'warehouse', schema: 'live' }).run({
        project,
        select: [...project.nodes.keys(), ...project.tests.keys()],
        log,
        signal: new AbortController().signal,
        resources: { warehouse },
        onResult: (result) => {
          handed.push(result);
          events.push(`result ${result.uniqueId}`);
        },
      });
      expect(handed).toEqual(results);
      // Compiled once before anything runs, then again as each runs: a's result comes before b compiles to run.
      expect(events).toEqual([
        'compiling a',
        'compiling b',
        'compiling a',
        'result model.shop.a',
        'result test.shop.unique_a_id',
        'compiling b',
        'result model.shop.b',
      ]);
    } finally {
      await warehouse.close();
    }
  });
});
