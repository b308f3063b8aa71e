import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDbtProjectFromFiles } from '../../../../src/integrations/dbt/native/load-project-files.js';
import { nativeRunner } from '../../../../src/integrations/dbt/native/native-runner.js';
import { openPgliteWarehouse } from '../../../../src/integrations/postgres/open-pglite-warehouse.js';
import { postgresWarehouse } from '../../../../src/integrations/postgres/postgres-warehouse.js';
import { quoteIdent } from '../../../../src/integrations/postgres/quote-ident.js';
import type { Warehouse } from '../../../../src/integrations/postgres/warehouse.js';
import { projectYml, recordingLogger, removeProject, runNative, writeProject } from './temp-project.js';


describe('nativeRunner', () => {
  let warehouse: Warehouse;
  const dirs: string[] = [];
  const project = (files: Record<string, string>) => {
    const dir = writeProject({ 'dbt_project.yml': projectYml(), ...files });
    dirs.push(dir);
    return dir;
  };
  const exists = async (schema: string, name: string) =>
    (await warehouse.query(`select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relname = $2`, [schema, name])).rows.length > 0;
  /** The error `promise` rejects with. */
  const rejection = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      return error as { code: string; message: string };
    }
    throw new Error('expected a rejection');
  };

  beforeAll(async () => {
    warehouse = await openPgliteWarehouse();
  });

  afterAll(async () => {
    for (const dir of dirs) removeProject(dir);
    await warehouse.close();
  });

  it('builds into the dev schema by default and brings the postgresWarehouse resource unless told otherwise', async () => {
    expect(nativeRunner().resources).toEqual({ warehouse: postgresWarehouse });
    expect(nativeRunner({ warehouse: 'wh' }).resources).toEqual({});
    const dir = project({ 'models/a.sql': 'select 1 as id' });
    const loaded = loadDbtProjectFromFiles(dir);
    const results = await nativeRunner().run({
      project: loaded,
      select: ['model.shop.a'],
      log: recordingLogger(),
      signal: new AbortController().signal,
      resources: { warehouse },
    });
    expect(results[0]).toMatchObject({ status: 'success', metadata: { relation: 'dev.a' } });
    expect(await exists('dev', 'a')).toBe(true);
  });

  it('skips the models downstream of a failing error test, but not of a failing warn test', async () => {
    const dir = project({
      'models/base.sql': "{{ config(materialized='table') }}\nselect 1 as id union all select 1",
      'models/after_error.sql': "select * from {{ ref('base') }}",
      'models/warned.sql': "{{ config(materialized='table') }}\nselect null::int as id",
      'models/after_warn.sql': "select * from {{ ref('warned') }}",
      'models/schema.yml': `version: 2
models:
  - name: base
    columns:
      - name: id
        data_tests: [unique]
  - name: warned
    columns:
      - name: id
        data_tests:
          - not_null: { config: { severity: warn } }
`,
    });
    const results = await runNative(warehouse, dir, { schema: 'gate' });
    expect(results.get('test.shop.unique_base_id')!.status).toBe('fail');
    expect(results.get('model.shop.after_error')).toMatchObject({ status: 'skipped', metadata: { skipped_because: 'model.shop.base' } });
    expect(results.get('test.shop.not_null_warned_id')!.status).toBe('warn');
    expect(results.get('model.shop.after_warn')!.status).toBe('success');
    // dbt build order: a model's tests run before the models that read it.
    const order = [...results.keys()];
    expect(order.indexOf('test.shop.unique_base_id')).toBeLessThan(order.indexOf('model.shop.after_error'));
    expect(await exists('gate', 'after_error')).toBe(false);
  });

  it('reports a model whose SQL fails as an error with the database message, skips its downstream and runs the rest', async () => {
    const dir = project({
      'models/broken.sql': "{{ config(materialized='table') }}\nselect 1 / 0 as x",
      'models/downstream.sql': "select * from {{ ref('broken') }}",
      'models/independent.sql': 'select 2 as y',
    });
    const log = recordingLogger();
    const loaded = loadDbtProjectFromFiles(dir);
    const results = await nativeRunner({ warehouse: 'warehouse', schema: 'errors' }).run({
      project: loaded,
      select: [...loaded.nodes.keys()],
      log,
      signal: new AbortController().signal,
      resources: { warehouse },
    });
    const byId = new Map(results.map((r) => [r.uniqueId, r]));
    expect(byId.get('model.shop.broken')).toMatchObject({ status: 'error', message: 'division by zero', metadata: { error_code: '22012' } });
    expect(byId.get('model.shop.downstream')!.status).toBe('skipped');
    expect(byId.get('model.shop.independent')!.status).toBe('success');
    expect(log.records.filter((r) => r.level === 'error').map((r) => r.fields.node)).toEqual(['model.shop.broken']);
    expect(await exists('errors', 'broken__dbt_tmp')).toBe(false);
  });

  it('refuses SQL outside the subset before building anything, naming the file, line and construct', async () => {
    const dir = project({
      'models/fine.sql': 'select 1 as id',
      'models/star.sql': "select 1 as id\n{% for i in [1, 2] %} union all select {{ i }}{% endfor %}\nunion all select {{ dbt_utils.star(ref('fine')) }}",
    });
    const error = await rejection(runNative(warehouse, dir, { schema: 'refused' }));
    expect(error.code).toBe('DBT_UNSUPPORTED');
    expect(error.message).toMatch(/^models\/star\.sql:3: dbt_utils\.star\(\) is not defined: .* macros of dbt packages \(packages\.yml\) are not available to the native runner: run the project with the dbt CLI runner \(dbtCliRunner\)$/);
    expect(await exists('refused', 'fine')).toBe(false);
  });

  it.each([
    ['a post-hook', "{{ config(post_hook='grant select on {{ this }} to x') }}select 1", /model "m" has a post-hook \("grant select on \{\{ this \}\} to x"\): the native runner does not run hooks; run the project with the dbt CLI runner \(dbtCliRunner\)/],
    ['a materialized view', "{{ config(materialized='materialized_view') }}select 1", /model "m" is materialized as "materialized_view": the native runner builds view, table, incremental and ephemeral models; run the project with the dbt CLI runner/],
    ['the merge strategy', "{{ config(materialized='incremental', incremental_strategy='merge', unique_key='id') }}select 1 as id", /config incremental_strategy="merge"/],
    ['an enforced contract', "{{ config(contract={'enforced': true}) }}select 1", /unsupported Jinja dict literal|config contract/],
  ])('refuses %s', async (_what, sql, message) => {
    const dir = project({ 'models/m.sql': sql });
    const error = await rejection(runNative(warehouse, dir, { schema: 'configs' }));
    expect(error.code).toBe('DBT_UNSUPPORTED');
    expect(error.message).toMatch(/^models\/m\.sql/);
    expect(error.message).toMatch(message);
  });

  it('refuses test configs and generic tests outside the subset, and seeds', async () => {
    const dir = project({
      'models/m.sql': 'select 1 as id',
      'seeds/s.csv': 'a\n1\n',
      'models/schema.yml': `version: 2
models:
  - name: m
    columns:
      - name: id
        data_tests:
          - not_null: { config: { where: "id > 0" } }
          - dbt_utils.at_least_one
`,
    });
    const loaded = loadDbtProjectFromFiles(dir);
    const run = (select: string[]) => runNative(warehouse, dir, { schema: 'configs', project: loaded, select });
    expect((await rejection(run(['test.shop.not_null_m_id']))).message).toMatch(/^models\/schema\.yml: config where="id > 0" of test "not_null_m_id"/);
    expect((await rejection(run(['test.shop.at_least_one_m_id']))).message).toMatch(/generic test "dbt_utils\.at_least_one"/);
    expect((await rejection(run(['seed.shop.s']))).message).toMatch(/^seeds\/s\.csv: seed "s": the native runner builds models only/);
  });

  it('resolves var() from the runner over dbt_project.yml, and rejects an undefined one', async () => {
    const dir = writeProject({
      'dbt_project.yml': projectYml('shop', 'vars:\n  n: 1\n  label: from_project\n'),
      'models/v.sql': "select {{ var('n') }} as n, '{{ var('label') }}' as label",
      'models/missing.sql': "select {{ var('nowhere') }} as x",
    });
    dirs.push(dir);
    const results = await runNative(warehouse, dir, { schema: 'vars', vars: { n: 7 }, select: ['model.shop.v'] });
    expect(results.get('model.shop.v')!.status).toBe('success');
    expect((await warehouse.query('select n, label from vars.v')).rows).toEqual([{ n: 7, label: 'from_project' }]);
    const error = await rejection(runNative(warehouse, dir, { schema: 'vars', select: ['model.shop.missing'] }));
    expect(error.message).toMatch(/^models\/missing\.sql:1: var\('nowhere'\) is not defined/);
  });

  it('says which node is unknown, and which resource is missing', async () => {
    const dir = project({ 'models/orders.sql': 'select 1 as id' });
    const unknown = await rejection(runNative(warehouse, dir, { schema: 'x', select: ['model.shop.order'] }));
    expect(unknown).toMatchObject({ code: 'DBT_UNKNOWN_NODE', message: '"model.shop.order" is not a node or test of dbt project "shop" (did you mean "model.shop.orders"?)' });
    const missing = await rejection(
      nativeRunner({ warehouse: 'warehose' }).run({
        project: loadDbtProjectFromFiles(dir),
        select: ['model.shop.orders'],
        log: recordingLogger(),
        signal: new AbortController().signal,
        resources: { warehouse },
      }),
    );
    expect(missing).toMatchObject({ code: 'DBT_WAREHOUSE_MISSING' });
    expect(missing.message).toMatch(/^the native dbt runner needs a Warehouse in resource "warehose", but the step has none \(did you mean "warehouse"\?\)/);
  });

  it('stops between nodes when the step is canceled', async () => {
    const dir = project({ 'models/a.sql': 'select 1 as id', 'models/b.sql': "select * from {{ ref('a') }}" });
    const controller = new AbortController();
    controller.abort(new Error('canceled'));
    const error = await rejection(
      nativeRunner({ warehouse: 'warehouse', schema: 'canceled' }).run({
        project: loadDbtProjectFromFiles(dir),
        select: ['model.shop.a', 'model.shop.b'],
        log: recordingLogger(),
        signal: controller.signal,
        resources: { warehouse },
      }),
    );
    expect(error.message).toBe('canceled');
    expect(await exists('canceled', 'a')).toBe(false);
  });

  it('quotes schema and model names that need it', async () => {
    const dir = project({ 'models/Mixed Case.sql': "{{ config(materialized='table') }}\nselect 1 as id" });
    const results = await runNative(warehouse, dir, { schema: 'we"ird' });
    expect(results.get('model.shop.Mixed Case')!.status).toBe('success');
    expect((await warehouse.query(`select id from ${quoteIdent('we"ird')}.${quoteIdent('Mixed Case')}`)).rows).toEqual([{ id: 1 }]);
  });
});
