import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDbtProjectFromFiles } from '../../../../src/integrations/dbt/native/load-project-files.js';
import { qualified, quoteIdent } from '../../../../src/integrations/postgres/quote-ident.js';
import type { Warehouse } from '../../../../src/integrations/postgres/warehouse.js';
import { backends, dropSchemas, freshSchema } from '../../postgres/backends.js';
import { projectYml, removeProject, runNative, writeProject } from './temp-project.js';


describe.each(backends)('table swap under concurrent readers on $name', ({ open }) => {
  let warehouse: Warehouse;
  let dir: string;
  const schema = freshSchema('swap');

  beforeAll(async () => {
    warehouse = await open();
    await warehouse.query(`create schema ${quoteIdent(schema)}`);
    dir = writeProject({
      'dbt_project.yml': projectYml(),
      // The sleep keeps each build running a while, so readers overlap builds and swaps.
      'models/numbers.sql': "{{ config(materialized='table') }}\nselect g as id from generate_series(1, {{ var('n') }}) g cross join lateral (select 1 from pg_sleep(0.1)) pause",
      'models/numbers_view.sql': "select count(*) as n from {{ ref('numbers') }}",
    });
  });

  afterAll(async () => {
    removeProject(dir);
    await dropSchemas(warehouse, [schema]);
    await warehouse.close();
  });

  it('lets readers of the table and of a view on it see the old table or the new one, never a missing or partial one', async () => {
    const project = loadDbtProjectFromFiles(dir);
    await runNative(warehouse, dir, { schema, project, vars: { n: 2000 } });
    const seen: number[] = [];
    const errors: unknown[] = [];
    let building = true;
    const reader = async (sql: string) => {
      while (building) {
        try {
          const { rows } = await warehouse.query<{ n: number }>(sql);
          seen.push(rows[0]!.n);
        } catch (error) {
          errors.push(error);
        }
      }
    };
    const readers = [
      reader(`select count(*)::int as n from ${qualified(schema, 'numbers')}`),
      reader(`select count(*)::int as n from ${qualified(schema, 'numbers')}`),
      reader(`select n::int as n from ${qualified(schema, 'numbers_view')}`),
    ];
    const statuses: string[] = [];
    try {
      for (const n of [3000, 2000, 3000, 2000, 3000]) {
        const results = await runNative(warehouse, dir, { schema, project, vars: { n }, select: ['model.shop.numbers'] });
        statuses.push(results.get('model.shop.numbers')!.status);
      }
    } finally {
      building = false;
      await Promise.all(readers);
    }
    expect(statuses).toEqual(['success', 'success', 'success', 'success', 'success']);
    expect(errors).toEqual([]);
    expect(seen.length).toBeGreaterThan(5);
    expect(seen.filter((n) => n !== 2000 && n !== 3000)).toEqual([]);
    expect((await warehouse.query(`select count(*)::int as n from ${qualified(schema, 'numbers')}`)).rows).toEqual([{ n: 3000 }]);
  });
});
