import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureSchema } from '../../../src/integrations/postgres/ensure-schema.js';
import { pgWarehouse } from '../../../src/integrations/postgres/pg-warehouse.js';
import { promoteSchema } from '../../../src/integrations/postgres/promote-schema.js';
import { qualified } from '../../../src/integrations/postgres/quote-ident.js';
import type { Warehouse } from '../../../src/integrations/postgres/warehouse.js';
import { backends, dropSchemas, freshSchema, TEST_DATABASE_URL } from './backends.js';

// Opening PGlite takes seconds, more when test files run in parallel.

async function count(warehouse: Warehouse, schema: string, table: string): Promise<number> {
  const { rows } = await warehouse.query<{ n: number }>(`select count(*)::int as n from ${qualified(schema, table)}`);
  return rows[0]!.n;
}

/** Replaces `schema.table` with `rows` rows of (id, label). */
async function fill(warehouse: Warehouse, schema: string, table: string, rows: number): Promise<void> {
  await warehouse.query(`drop table if exists ${qualified(schema, table)}`);
  await warehouse.query(`create table ${qualified(schema, table)} (id int primary key, label text not null)`);
  await warehouse.query(`insert into ${qualified(schema, table)} select g, 'row ' || g from generate_series(1, $1::int) g`, [rows]);
}

describe.each(backends)('promoteSchema on $name', ({ open }) => {
  let warehouse: Warehouse;
  const dev = freshSchema('dev');
  const main = freshSchema('main');

  beforeAll(async () => {
    warehouse = await open();
  });

  beforeEach(async () => {
    await dropSchemas(warehouse, [dev, main]);
    await ensureSchema(warehouse, dev);
  });

  afterAll(async () => {
    await dropSchemas(warehouse, [dev, main]);
    await warehouse.close();
  });

  it('copies every table of from into a new to schema and reports the rows of each', async () => {
    await fill(warehouse, dev, 'orders', 3);
    await fill(warehouse, dev, 'customers', 2);
    const result = await promoteSchema(warehouse, { from: dev, to: main });
    expect(result).toEqual({
      tables: [
        { name: 'customers', rows: 2 },
        { name: 'orders', rows: 3 },
      ],
    });
    expect(await count(warehouse, main, 'orders')).toBe(3);
    expect(await count(warehouse, dev, 'orders')).toBe(3);
  });

  it('replaces existing tables of to, keeps its primary key, and keeps tables it was not asked to touch', async () => {
    await ensureSchema(warehouse, main);
    await fill(warehouse, main, 'orders', 10);
    await fill(warehouse, main, 'legacy', 1);
    await fill(warehouse, dev, 'orders', 4);
    await warehouse.query(`alter table ${qualified(dev, 'orders')} add column extra text default 'x'`);
    await promoteSchema(warehouse, { from: dev, to: main });
    const { rows } = await warehouse.query(`select id, extra from ${qualified(main, 'orders')} order by id limit 1`);
    expect(rows).toEqual([{ id: 1, extra: 'x' }]);
    expect(await count(warehouse, main, 'orders')).toBe(4);
    expect(await count(warehouse, main, 'legacy')).toBe(1);
    await expect(warehouse.query(`insert into ${qualified(main, 'orders')} (id, label) values (1, 'dup')`)).rejects.toMatchObject({
      code: '23505',
    });
  });

  it('promotes only the listed tables', async () => {
    await fill(warehouse, dev, 'a', 1);
    await fill(warehouse, dev, 'b', 2);
    const result = await promoteSchema(warehouse, { from: dev, to: main, tables: ['b'] });
    expect(result.tables).toEqual([{ name: 'b', rows: 2 }]);
    const { rows } = await warehouse.query('select tablename from pg_tables where schemaname = $1', [main]);
    expect(rows).toEqual([{ tablename: 'b' }]);
  });

  it('throws UNKNOWN_TABLE with a suggestion for a table missing from from, and changes nothing', async () => {
    await fill(warehouse, dev, 'daily_glucose', 1);
    await expect(promoteSchema(warehouse, { from: dev, to: main, tables: ['daily_glucose', 'daily_glucos'] })).rejects.toMatchObject({
      code: 'UNKNOWN_TABLE',
      message: expect.stringContaining('(did you mean "daily_glucose"?)'),
    });
    expect((await warehouse.query('select 1 from pg_namespace where nspname = $1', [main])).rowCount).toBe(0);
  });

  it('rolls every table back when replacing one of them fails', async () => {
    await ensureSchema(warehouse, main);
    await fill(warehouse, main, 'a_first', 5);
    await fill(warehouse, main, 'b_second', 5);
    // A view on main.b_second makes dropping it fail after main.a_first was already replaced.
    await warehouse.query(`create view ${qualified(main, 'b_view')} as select * from ${qualified(main, 'b_second')}`);
    await fill(warehouse, dev, 'a_first', 1);
    await fill(warehouse, dev, 'b_second', 1);
    await expect(promoteSchema(warehouse, { from: dev, to: main })).rejects.toMatchObject({ code: '2BP01' });
    expect(await count(warehouse, main, 'a_first')).toBe(5);
    expect(await count(warehouse, main, 'b_second')).toBe(5);
  });

  it('refuses to promote a schema onto itself', async () => {
    await expect(promoteSchema(warehouse, { from: dev, to: dev })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('promoteSchema atomicity on server Postgres', () => {
  const dev = freshSchema('dev');
  const main = freshSchema('main');
  let writer: Warehouse;
  let reader: Warehouse;

  beforeAll(async () => {
    writer = pgWarehouse({ connectionString: TEST_DATABASE_URL });
    reader = pgWarehouse({ connectionString: TEST_DATABASE_URL, max: 2 });
    await ensureSchema(writer, dev);
  });

  afterAll(async () => {
    await dropSchemas(writer, [dev, main]);
    await Promise.all([writer.close(), reader.close()]);
  });

  it('lets a concurrent reader see all-old or all-new counts across two tables, never a mix', async () => {
    const seen = new Set<string>();
    for (let round = 1; round <= 6; round++) {
      // main holds (round - 1) * 100 rows in both tables; dev holds round * 100.
      await fill(writer, dev, 'left_t', round * 100);
      await fill(writer, dev, 'right_t', round * 100);
      if (round === 1) await promoteSchema(writer, { from: dev, to: main });
      else {
        let promoting = true;
        const observations: Array<[number, number]> = [];
        const readLoop = (async () => {
          while (promoting) {
            const { rows } = await reader.query<{ l: number; r: number }>(
              `select (select count(*) from ${qualified(main, 'left_t')})::int as l,
                      (select count(*) from ${qualified(main, 'right_t')})::int as r`,
            );
            observations.push([rows[0]!.l, rows[0]!.r]);
          }
        })();
        // Let the reader get going before and during the promotion.
        await new Promise((resolve) => setTimeout(resolve, 5));
        await promoteSchema(writer, { from: dev, to: main });
        await new Promise((resolve) => setTimeout(resolve, 5));
        promoting = false;
        await readLoop;
        for (const [l, r] of observations) {
          expect([l, r]).toSatisfy(([a, b]: number[]) => a === b && (a === (round - 1) * 100 || a === round * 100));
          seen.add(String(l === round * 100 ? 'new' : 'old'));
        }
        expect(observations.length).toBeGreaterThan(0);
      }
    }
    // Across the rounds the reader observed both states, so the check above was exercised.
    expect([...seen].sort()).toEqual(['new', 'old']);
  });
});
