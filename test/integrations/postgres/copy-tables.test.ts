import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyTables } from '../../../src/integrations/postgres/copy-tables.js';
import { ensureSchema } from '../../../src/integrations/postgres/ensure-schema.js';
import { openPgliteWarehouse } from '../../../src/integrations/postgres/open-pglite-warehouse.js';
import { pgWarehouse } from '../../../src/integrations/postgres/pg-warehouse.js';
import { qualified } from '../../../src/integrations/postgres/quote-ident.js';
import type { Warehouse } from '../../../src/integrations/postgres/warehouse.js';
import { backends, dropSchemas, freshSchema, TEST_DATABASE_URL } from './backends.js';

// Opening PGlite takes seconds, more when test files run in parallel.

const ROWS = 50;

/** A table with awkward types and values: quotes, NULLs, arrays, json, dates, big numbers. */
async function createSample(warehouse: Warehouse, schema: string, table: string): Promise<void> {
  await ensureSchema(warehouse, schema);
  await warehouse.query(`drop table if exists ${qualified(schema, table)}`);
  await warehouse.query(
    `create table ${qualified(schema, table)} (
       id int primary key,
       "Label ""quoted""" text,
       big bigint not null,
       amount numeric(12, 3),
       day date,
       at timestamptz,
       tags text[],
       doc jsonb,
       flag boolean,
       ratio double precision,
       raw bytea
     )`,
  );
  await warehouse.query(
    `insert into ${qualified(schema, table)}
     select g,
            case when g % 5 = 0 then null else 'it''s "row" ' || g || E'\\n;--' end,
            9007199254740000 + g,
            g * 1.125,
            date '2024-01-01' + g,
            timestamptz '2024-01-01T00:00:00Z' + g * interval '1 hour 1 microsecond',
            array['a,b', null, 'c"' || g],
            jsonb_build_object('n', g, 'nested', jsonb_build_array(g, 'x')),
            g % 2 = 0,
            g / 3.0,
            decode(lpad(to_hex(g), 2, '0') || '00ff', 'hex')
       from generate_series(1, $1::int) g`,
    [ROWS],
  );
}

/** Every row as text, in id order: equal on both sides means a lossless copy. */
async function snapshot(warehouse: Warehouse, schema: string, table: string): Promise<string[]> {
  const { rows } = await warehouse.query<{ row: string }>(`select t::text as row from ${qualified(schema, table)} t order by id`);
  return rows.map((r) => r.row);
}

async function columnTypes(warehouse: Warehouse, schema: string, table: string): Promise<string[]> {
  const { rows } = await warehouse.query<{ c: string }>(
    `select attname || ' ' || format_type(atttypid, atttypmod) || case when attnotnull then ' not null' else '' end as c
       from pg_attribute where attrelid = $1::regclass and attnum > 0 and not attisdropped order by attnum`,
    [qualified(schema, table)],
  );
  return rows.map((r) => r.c);
}

describe.each(backends)('copyTables within one $name database', ({ open }) => {
  let warehouse: Warehouse;
  const main = freshSchema('main');
  const marts = freshSchema('marts');

  beforeAll(async () => {
    warehouse = await open();
    await createSample(warehouse, main, 'sample');
  });

  afterAll(async () => {
    await dropSchemas(warehouse, [main, marts]);
    await warehouse.close();
  });

  it('copies in SQL into a plain table in a new schema, replacing what was there', async () => {
    const first = await copyTables(warehouse, warehouse, { fromSchema: main, toSchema: marts, tables: ['sample'] });
    expect(first).toEqual({ tables: [{ name: 'sample', rows: ROWS }] });
    await warehouse.query(`insert into ${qualified(marts, 'sample')} (id, big) values (1, 1)`); // no primary key: a plain copy
    const second = await copyTables(warehouse, warehouse, { fromSchema: main, toSchema: marts, tables: ['sample'] });
    expect(second.tables[0]!.rows).toBe(ROWS);
    expect(await snapshot(warehouse, marts, 'sample')).toEqual(await snapshot(warehouse, main, 'sample'));
    expect(await columnTypes(warehouse, marts, 'sample')).toEqual(await columnTypes(warehouse, main, 'sample'));
  });

  it('throws UNKNOWN_TABLE for a table the source schema lacks', async () => {
    await expect(copyTables(warehouse, warehouse, { fromSchema: main, toSchema: marts, tables: ['sampel'] })).rejects.toMatchObject({
      code: 'UNKNOWN_TABLE',
      data: { suggestions: ['sample'] },
    });
  });

  it('refuses to copy a schema onto itself', async () => {
    await expect(copyTables(warehouse, warehouse, { fromSchema: main, toSchema: main, tables: ['sample'] })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});

describe('copyTables across two clients (PGlite <-> server Postgres)', () => {
  let pglite: Warehouse;
  let server: Warehouse;
  const source = freshSchema('src');
  const target = freshSchema('dst');

  beforeAll(async () => {
    pglite = await openPgliteWarehouse();
    server = pgWarehouse({ connectionString: TEST_DATABASE_URL });
    await createSample(pglite, source, 'sample');
    await createSample(server, source, 'sample');
  });

  afterAll(async () => {
    await dropSchemas(server, [source, target]);
    await Promise.all([pglite.close(), server.close()]);
  });

  it.each([
    { from: 'pglite', to: 'postgres' },
    { from: 'postgres', to: 'pglite' },
  ])('copies every value losslessly from $from to $to in batches', async ({ from, to }) => {
    const [src, dst] = from === 'pglite' ? [pglite, server] : [server, pglite];
    expect(src.database).not.toBe(dst.database);
    const result = await copyTables(src, dst, { fromSchema: source, toSchema: target, tables: ['sample'], batchSize: 7 });
    expect(result).toEqual({ tables: [{ name: 'sample', rows: ROWS }] });
    expect(await snapshot(dst, target, 'sample')).toEqual(await snapshot(src, source, 'sample'));
    expect(await columnTypes(dst, target, 'sample')).toEqual(await columnTypes(src, source, 'sample'));
  });

  it('copies an empty table and several tables in one call', async () => {
    await pglite.query(`create table ${qualified(source, 'empty')} (id int)`);
    const result = await copyTables(pglite, server, { fromSchema: source, toSchema: target, tables: ['sample', 'empty'] });
    expect(result.tables).toEqual([
      { name: 'empty', rows: 0 },
      { name: 'sample', rows: ROWS },
    ]);
  });

  it('leaves the target as it was when the copy is aborted after the target table was recreated', async () => {
    await copyTables(pglite, server, { fromSchema: source, toSchema: target, tables: ['sample'] });
    await pglite.query(`delete from ${qualified(source, 'sample')} where id > 10`);
    const controller = new AbortController();
    controller.abort(new Error('run canceled'));
    await expect(
      copyTables(pglite, server, { fromSchema: source, toSchema: target, tables: ['sample'], signal: controller.signal }),
    ).rejects.toThrow('run canceled');
    const { rows } = await server.query<{ n: number }>(`select count(*)::int as n from ${qualified(target, 'sample')}`);
    expect(rows[0]!.n).toBe(ROWS);
  });
});
