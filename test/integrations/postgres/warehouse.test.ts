import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qualified, quoteIdent } from '../../../src/integrations/postgres/quote-ident.js';
import type { Warehouse, WarehouseTx } from '../../../src/integrations/postgres/warehouse.js';
import { backends, dropSchemas, freshSchema } from './backends.js';

// Opening PGlite takes seconds, more when test files run in parallel.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(backends)('Warehouse contract on $name', ({ name, open }) => {
  let warehouse: Warehouse;
  const schema = freshSchema('wh');
  const t = (table: string) => qualified(schema, table);

  beforeAll(async () => {
    warehouse = await open();
    await warehouse.query(`create schema ${quoteIdent(schema)}`);
  });

  afterAll(async () => {
    await dropSchemas(warehouse, [schema]);
    await warehouse.close();
  });

  it('names its database without a password', () => {
    expect(warehouse.database).toMatch(name === 'pglite' ? /^pglite:memory:\d+$/ : /^postgres:\/\/[^:@]*@?[^:]+:\d+\/\w+$/);
  });

  it('binds parameters and reports rows returned and rows affected', async () => {
    await warehouse.query(`create table ${t('items')} (id int primary key, label text)`);
    const created = await warehouse.query(`create index on ${t('items')} (label)`);
    expect(created.rowCount).toBe(0);
    const inserted = await warehouse.query(`insert into ${t('items')} values ($1, $2), ($3, $4), ($5, $6)`, [
      1, "it's", 2, null, 3, 'c',
    ]);
    expect(inserted.rowCount).toBe(3);
    const updated = await warehouse.query(`update ${t('items')} set label = 'z' where id >= $1`, [2]);
    expect(updated.rowCount).toBe(2);
    const selected = await warehouse.query<{ id: number; label: string }>(`select id, label from ${t('items')} order by id`);
    expect(selected.rowCount).toBe(3);
    expect(selected.rows).toEqual([
      { id: 1, label: "it's" },
      { id: 2, label: 'z' },
      { id: 3, label: 'z' },
    ]);
  });

  it('returns int8 as a number, numeric as a string and date as YYYY-MM-DD in both implementations', async () => {
    const { rows } = await warehouse.query(
      `select 42::int8 as big, 1.50::numeric(4,2) as num, '2024-10-15'::date as day,
              '2024-10-15T12:00:00Z'::timestamptz as at, '{"a":[1]}'::jsonb as doc, 2.5::float8 as f`,
    );
    expect(rows[0]).toEqual({
      big: 42,
      num: '1.50',
      day: '2024-10-15',
      at: new Date('2024-10-15T12:00:00Z'),
      doc: { a: [1] },
      f: 2.5,
    });
  });

  it('commits a transaction when its callback resolves and returns its value', async () => {
    await warehouse.query(`create table ${t('commit')} (v int)`);
    const value = await warehouse.transaction(async (tx) => {
      await tx.query(`insert into ${t('commit')} values (1), (2)`);
      return (await tx.query<{ n: number }>(`select count(*)::int as n from ${t('commit')}`)).rows[0]!.n;
    });
    expect(value).toBe(2);
    expect((await warehouse.query(`select * from ${t('commit')}`)).rowCount).toBe(2);
  });

  it('rolls a transaction back and rethrows when its callback throws', async () => {
    await warehouse.query(`create table ${t('rollback')} (v int)`);
    const boom = new Error('boom');
    await expect(
      warehouse.transaction(async (tx) => {
        await tx.query(`insert into ${t('rollback')} values (1)`);
        await tx.query(`create table ${t('rollback_created')} (v int)`);
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect((await warehouse.query(`select * from ${t('rollback')}`)).rowCount).toBe(0);
    expect((await warehouse.query('select 1 from pg_tables where schemaname = $1 and tablename = $2', [schema, 'rollback_created'])).rowCount).toBe(0);
  });

  it("never rolls back a concurrent transaction's writes when another transaction fails", async () => {
    await warehouse.query(`create table ${t('concurrent')} (who text)`);
    const failing = warehouse.transaction(async (tx) => {
      await tx.query(`insert into ${t('concurrent')} values ('failing')`);
      await sleep(30);
      throw new Error('fails after a pause');
    });
    await sleep(5);
    const succeeding = warehouse.transaction(async (tx) => {
      await tx.query(`insert into ${t('concurrent')} values ('succeeding')`);
    });
    const plain = warehouse.query(`insert into ${t('concurrent')} values ('plain')`);
    await expect(failing).rejects.toThrow('fails after a pause');
    await succeeding;
    await plain;
    const { rows } = await warehouse.query<{ who: string }>(`select who from ${t('concurrent')} order by who`);
    expect(rows.map((row) => row.who)).toEqual(['plain', 'succeeding']);
  });

  it('refuses a transaction object used after its callback settled', async () => {
    let leaked: WarehouseTx | undefined;
    await warehouse.transaction(async (tx) => {
      leaked = tx;
    });
    await expect(leaked!.query('select 1')).rejects.toMatchObject({ code: 'WAREHOUSE_TX_CLOSED' });
  });
});
