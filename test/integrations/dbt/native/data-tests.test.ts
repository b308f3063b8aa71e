import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbtNodeResult } from '../../../../src/integrations/dbt/dbt-project.js';
import { qualified, quoteIdent } from '../../../../src/integrations/postgres/quote-ident.js';
import type { Warehouse } from '../../../../src/integrations/postgres/warehouse.js';
import { backends, dropSchemas, freshSchema } from '../../postgres/backends.js';
import { projectYml, removeProject, runNative, writeProject } from './temp-project.js';


/** A source table whose name needs quoting, with known bad rows. */
const TABLE = 'peo"ple';

const FILES = {
  'dbt_project.yml': projectYml(),
  'models/sources.yml': `version: 2
sources:
  - name: crm
    schema: "{{ target.schema }}"
    tables:
      - name: people
        identifier: 'peo"ple'
        columns:
          # Warnings: a failing error-severity test on the source would skip the models reading it.
          - name: id
            data_tests:
              - unique:
                  config: { severity: warn }
          - name: Score
            quote: true
            data_tests:
              - not_null: { severity: warn }
`,
  'models/countries.sql': "select 'fr' as code union all select 'de'",
  'models/people.sql': "{{ config(materialized='table') }}\nselect * from {{ source('crm', 'people') }}",
  'models/schema.yml': `version: 2
models:
  - name: people
    columns:
      - name: status
        data_tests:
          - not_null
          - accepted_values:
              values: ['active', "it's", 'inactive']
              config:
                severity: warn
      - name: country
        data_tests:
          - relationships:
              to: ref('countries')
              field: code
      - name: note
        data_tests:
          - not_null:
              name: note_present
`,
  'tests/no_negative_scores.sql': "select id, \"Score\" from {{ ref('people') }} where \"Score\" < 0",
};

describe.each(backends)('native runner data tests on $name', ({ open }) => {
  let warehouse: Warehouse;
  let dir: string;
  let results: Map<string, DbtNodeResult>;
  const schema = freshSchema('tests');

  beforeAll(async () => {
    warehouse = await open();
    await warehouse.query(`create schema ${quoteIdent(schema)}`);
    const table = qualified(schema, TABLE);
    await warehouse.query(`create table ${table} (id int, status text, "Score" int, country text, note text)`);
    await warehouse.query(`insert into ${table} values
      (1, 'active', 10, 'fr', null), (2, null, null, 'de', null), (3, 'pending', 5, 'xx', null),
      (3, 'pending', -1, 'fr', null), (3, 'it''s', 7, 'yy', null), (4, null, 3, null, null),
      (4, 'gone', -2, 'fr', null), (5, 'inactive', 1, 'de', 'ok')`);
    dir = writeProject(FILES);
    results = await runNative(warehouse, dir, { schema });
  });

  afterAll(async () => {
    removeProject(dir);
    await dropSchemas(warehouse, [schema]);
    await warehouse.close();
  });

  it('builds the models the tests read', () => {
    expect(results.get('model.shop.people')).toMatchObject({ status: 'success', rowsAffected: 8 });
  });

  it('not_null counts the null rows and samples them whole', () => {
    expect(results.get('test.shop.not_null_people_status')).toMatchObject({ status: 'fail', failures: 2, metadata: { severity: 'ERROR' } });
    const sample = (results.get('test.shop.not_null_people_status')!.metadata.sample as { json: Array<{ id: number }> }).json;
    expect(sample.map((row) => row.id).sort()).toEqual([2, 4]);
    expect(sample[0]).toHaveProperty('Score');
  });

  it('keeps at most 5 sample rows while counting all of them', () => {
    const result = results.get('test.shop.note_present')!;
    expect(result).toMatchObject({ status: 'fail', failures: 7 });
    expect((result.metadata.sample as { json: unknown[] }).json).toHaveLength(5);
  });

  it('unique counts each duplicated value once, with its number of rows', () => {
    const result = results.get('test.shop.source_unique_crm_people_id')!;
    expect(result).toMatchObject({ status: 'warn', failures: 2 });
    const sample = (result.metadata.sample as { json: Array<{ unique_field: number; n_records: number }> }).json;
    expect(sample.map((row) => [row.unique_field, Number(row.n_records)]).sort()).toEqual([
      [3, 3],
      [4, 2],
    ]);
  });

  it('accepted_values counts unexpected values (quotes in values escaped), and warns with severity warn', () => {
    const result = results.get('test.shop.accepted_values_people_status__active__it_s__inactive')!;
    expect(result).toMatchObject({ status: 'warn', failures: 2, metadata: { severity: 'WARN' } });
    const values = (result.metadata.sample as { json: Array<{ value_field: string }> }).json.map((row) => row.value_field).sort();
    expect(values).toEqual(['gone', 'pending']);
  });

  it('relationships counts child values missing from the parent, ignoring nulls', () => {
    const result = results.get('test.shop.relationships_people_country__code__ref_countries_')!;
    expect(result).toMatchObject({ status: 'fail', failures: 2 });
    expect((result.metadata.sample as { json: Array<{ from_field: string }> }).json.map((row) => row.from_field).sort()).toEqual(['xx', 'yy']);
  });

  it('tests a quoted column exactly as written and a source through its quoted identifier', () => {
    expect(results.get('test.shop.source_not_null_crm_people__Score_')).toMatchObject({ status: 'warn', failures: 1 });
  });

  it('runs singular tests: their rows are the failures', () => {
    expect(results.get('test.shop.no_negative_scores')).toMatchObject({ status: 'fail', failures: 2 });
  });

  it('passes with no sample when nothing fails', async () => {
    await warehouse.query(`delete from ${qualified(schema, TABLE)} where "Score" < 0`);
    const again = await runNative(warehouse, dir, { schema, select: ['model.shop.people', 'test.shop.no_negative_scores'] });
    expect(again.get('test.shop.no_negative_scores')).toMatchObject({ status: 'pass', failures: 0, metadata: { severity: 'ERROR' } });
    expect(again.get('test.shop.no_negative_scores')!.metadata).not.toHaveProperty('sample');
  });
});
