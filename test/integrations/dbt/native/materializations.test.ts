import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qualified, quoteIdent } from '../../../../src/integrations/postgres/quote-ident.js';
import type { Warehouse } from '../../../../src/integrations/postgres/warehouse.js';
import { backends, dropSchemas, freshSchema } from '../../postgres/backends.js';
import { projectYml, removeProject, runNative, writeProject } from './temp-project.js';


const SOURCES = `version: 2
sources:
  - name: app
    schema: "{{ target.schema }}"
    tables:
      - name: events
`;

async function rows<R = Record<string, unknown>>(warehouse: Warehouse, sql: string): Promise<R[]> {
  return (await warehouse.query<R>(sql)).rows;
}

async function relkind(warehouse: Warehouse, schema: string, name: string): Promise<string | undefined> {
  const found = await rows<{ kind: string }>(
    warehouse,
    `select c.relkind::text as kind from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = '${schema}' and c.relname = '${name}'`,
  );
  return found[0]?.kind;
}

describe.each(backends)('native runner materializations on $name', ({ open }) => {
  let warehouse: Warehouse;
  const schema = freshSchema('dbt');
  const dirs: string[] = [];
  const project = (files: Record<string, string>) => {
    const dir = writeProject({ 'dbt_project.yml': projectYml(), 'models/sources.yml': SOURCES, ...files });
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    warehouse = await open();
    await warehouse.query(`create schema ${quoteIdent(schema)}`);
    await warehouse.query(`create table ${qualified(schema, 'events')} (id int primary key, v text)`);
    await warehouse.query(`insert into ${qualified(schema, 'events')} select g, 'v' || g from generate_series(1, 5) g`);
  });

  afterAll(async () => {
    for (const dir of dirs) removeProject(dir);
    await dropSchemas(warehouse, [schema, `${schema}_custom`]);
    await warehouse.close();
  });

  it('creates a view, replaces it, and survives a change of its columns with a dependent view recreated', async () => {
    const v1 = project({
      'models/v_events.sql': "select id, v from {{ source('app', 'events') }}",
      'models/v_ids.sql': "select id from {{ ref('v_events') }}",
    });
    const first = await runNative(warehouse, v1, { schema });
    expect(first.get('model.shop.v_events')).toMatchObject({ status: 'success', metadata: { materialized: 'view', relation: `${schema}.v_events` } });
    expect(await relkind(warehouse, schema, 'v_events')).toBe('v');
    // Column `v` dropped and `w` added: create or replace refuses; the view is rebuilt and v_ids recreated.
    const v2 = project({
      'models/v_events.sql': "select id, upper(v) as w from {{ source('app', 'events') }}",
      'models/v_ids.sql': "select id from {{ ref('v_events') }}",
    });
    const second = await runNative(warehouse, v2, { schema, select: ['model.shop.v_events'] });
    expect(second.get('model.shop.v_events')!.status).toBe('success');
    expect(await rows(warehouse, `select * from ${qualified(schema, 'v_events')} order by id limit 1`)).toEqual([{ id: 1, w: 'V1' }]);
    expect(await rows(warehouse, `select count(*)::int as n from ${qualified(schema, 'v_ids')}`)).toEqual([{ n: 5 }]);
  });

  it('builds a table, rebuilds it with new rows and columns, and keeps a view that reads it', async () => {
    const t1 = project({
      'models/t_events.sql': "{{ config(materialized='table') }}\nselect id, v from {{ source('app', 'events') }} where id <= 3",
      'models/t_reader.sql': "select count(*) as n from {{ ref('t_events') }}",
    });
    const first = await runNative(warehouse, t1, { schema });
    expect(first.get('model.shop.t_events')).toMatchObject({ status: 'success', rowsAffected: 3, metadata: { materialized: 'table' } });
    expect(await relkind(warehouse, schema, 't_events')).toBe('r');
    const t2 = project({
      'models/t_events.sql': "{{ config(materialized='table') }}\nselect id, v, id * 10 as score from {{ source('app', 'events') }}",
      'models/t_reader.sql': "select count(*) as n from {{ ref('t_events') }}",
    });
    const second = await runNative(warehouse, t2, { schema, select: ['model.shop.t_events'] });
    expect(second.get('model.shop.t_events')!.rowsAffected).toBe(5);
    expect(await rows(warehouse, `select n::int from ${qualified(schema, 't_reader')}`)).toEqual([{ n: 5 }]);
    expect(await rows(warehouse, `select max(score)::int as m from ${qualified(schema, 't_events')}`)).toEqual([{ m: 50 }]);
    // No temporary table is left behind.
    expect(await relkind(warehouse, schema, 't_events__dbt_tmp')).toBeUndefined();
  });

  it('turns a view into a table and a table into a view when the materialization changes', async () => {
    const asView = project({ 'models/flip.sql': "select id from {{ source('app', 'events') }}" });
    await runNative(warehouse, asView, { schema });
    expect(await relkind(warehouse, schema, 'flip')).toBe('v');
    const asTable = project({ 'models/flip.sql': "{{ config(materialized='table') }}\nselect id from {{ source('app', 'events') }}" });
    await runNative(warehouse, asTable, { schema });
    expect(await relkind(warehouse, schema, 'flip')).toBe('r');
    await runNative(warehouse, asView, { schema });
    expect(await relkind(warehouse, schema, 'flip')).toBe('v');
  });

  it('builds an incremental model in full first, then deletes and inserts by unique_key', async () => {
    const table = qualified(schema, 'inc_src');
    await warehouse.query(`create table ${table} (id int, v text)`);
    await warehouse.query(`insert into ${table} values (1, 'a'), (2, 'b')`);
    const files = {
      'models/sources.yml': SOURCES.replace('      - name: events', '      - name: events\n      - name: inc_src'),
      'models/inc.sql': [
        "{{ config(materialized='incremental', unique_key='id') }}",
        "select id, v from {{ source('app', 'inc_src') }}",
        '{% if is_incremental() %}',
        'where id >= (select max(id) from {{ this }})',
        '{% endif %}',
      ].join('\n'),
    };
    const dir = project(files);
    const first = await runNative(warehouse, dir, { schema });
    expect(first.get('model.shop.inc')).toMatchObject({ status: 'success', rowsAffected: 2, metadata: { incremental: false, rows_inserted: 2, rows_deleted: 0 } });
    await warehouse.query(`update ${table} set v = 'b2' where id = 2`);
    await warehouse.query(`update ${table} set v = 'a2' where id = 1`);
    await warehouse.query(`insert into ${table} values (3, 'c')`);
    const second = await runNative(warehouse, dir, { schema });
    // Only ids >= 2 are selected: 2 replaced, 3 added, 1 untouched (the filter excluded it).
    expect(second.get('model.shop.inc')).toMatchObject({ rowsAffected: 2, metadata: { incremental: true, rows_inserted: 2, rows_deleted: 1 } });
    expect(await rows(warehouse, `select id, v from ${qualified(schema, 'inc')} order by id`)).toEqual([
      { id: 1, v: 'a' },
      { id: 2, v: 'b2' },
      { id: 3, v: 'c' },
    ]);
    const refreshed = await runNative(warehouse, dir, { schema, fullRefresh: true });
    expect(refreshed.get('model.shop.inc')!.metadata).toMatchObject({ incremental: false, rows_inserted: 3 });
    expect(await rows(warehouse, `select v from ${qualified(schema, 'inc')} where id = 1`)).toEqual([{ v: 'a2' }]);
  });

  it('appends without a unique_key', async () => {
    const dir = project({
      'models/appended.sql': "{{ config(materialized='incremental') }}\nselect id from {{ source('app', 'events') }} where id <= 2",
    });
    await runNative(warehouse, dir, { schema });
    const second = await runNative(warehouse, dir, { schema });
    expect(second.get('model.shop.appended')!.metadata).toMatchObject({ incremental: true, rows_inserted: 2, rows_deleted: 0 });
    expect(await rows(warehouse, `select count(*)::int as n from ${qualified(schema, 'appended')}`)).toEqual([{ n: 4 }]);
  });

  it('never builds an ephemeral model and inlines it, nested ephemerals first, into the models and tests that ref it', async () => {
    const dir = project({
      'models/eph_a.sql': "{{ config(materialized='ephemeral') }}\nselect id, v from {{ source('app', 'events') }} where id > 1",
      'models/eph_b.sql': "{{ config(materialized='ephemeral') }}\nwith x as (select * from {{ ref('eph_a') }}) select id from x where id < 5",
      'models/uses_eph.sql': "{{ config(materialized='table') }}\nwith y as (select * from {{ ref('eph_b') }}) select * from y join {{ ref('eph_a') }} using (id)",
      'models/schema.yml': 'version: 2\nmodels:\n  - name: eph_b\n    columns:\n      - name: id\n        data_tests: [unique]\n',
    });
    const results = await runNative(warehouse, dir, { schema });
    expect(results.get('model.shop.eph_a')).toMatchObject({ status: 'success', metadata: { materialized: 'ephemeral' } });
    expect(results.get('model.shop.uses_eph')).toMatchObject({ status: 'success', rowsAffected: 3 });
    expect(results.get('test.shop.unique_eph_b_id')).toMatchObject({ status: 'pass', failures: 0 });
    expect(await relkind(warehouse, schema, 'eph_a')).toBeUndefined();
    expect(await relkind(warehouse, schema, 'eph_b')).toBeUndefined();
  });

  it('builds a model with a custom schema into <target>_<custom>', async () => {
    const dir = project({ 'models/custom.sql': "{{ config(schema='custom') }}\nselect 1 as id" });
    const results = await runNative(warehouse, dir, { schema });
    expect(results.get('model.shop.custom')!.metadata).toMatchObject({ relation: `${schema}_custom.custom` });
    expect(await relkind(warehouse, `${schema}_custom`, 'custom')).toBe('v');
  });
});
