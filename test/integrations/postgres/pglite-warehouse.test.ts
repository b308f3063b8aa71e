import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgliteWarehouse } from '../../../src/integrations/postgres/open-pglite-warehouse.js';
import { pgliteWarehouse } from '../../../src/integrations/postgres/pglite-warehouse.js';
import type { Warehouse } from '../../../src/integrations/postgres/warehouse.js';

// Opening PGlite takes seconds, more when test files run in parallel.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('pgliteWarehouse', () => {
  let warehouse: Warehouse;

  beforeAll(async () => {
    warehouse = await openPgliteWarehouse();
    await warehouse.query('create table log (step text, at serial)');
  });

  afterAll(() => warehouse.close());

  it('throws WAREHOUSE_REENTRANT instead of deadlocking when used inside its own transaction', async () => {
    const result = await warehouse.transaction(async () => {
      await expect(warehouse.query('select 1')).rejects.toMatchObject({ code: 'WAREHOUSE_REENTRANT' });
      await expect(warehouse.transaction(async () => 1)).rejects.toMatchObject({ code: 'WAREHOUSE_REENTRANT' });
      return 'done';
    });
    expect(result).toBe('done');
    expect((await warehouse.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
  });

  it('runs concurrent transactions one after the other, in call order, without interleaving statements', async () => {
    await warehouse.query('truncate log');
    const step = (name: string, pause: number) =>
      warehouse.transaction(async (tx) => {
        await tx.query("insert into log (step) values ($1 || ':begin')", [name]);
        await sleep(pause);
        await tx.query("insert into log (step) values ($1 || ':end')", [name]);
      });
    await Promise.all([step('a', 20), step('b', 0), step('c', 10)]);
    const { rows } = await warehouse.query<{ step: string }>('select step from log order by at');
    expect(rows.map((row) => row.step)).toEqual(['a:begin', 'a:end', 'b:begin', 'b:end', 'c:begin', 'c:end']);
  });

  it('serializes two Warehouse wrappers over the same PGlite instance with one lock', async () => {
    const db = await PGlite.create();
    const first = pgliteWarehouse(db, { database: 'pglite:shared-test', close: async () => {} });
    const second = pgliteWarehouse(db, { database: 'pglite:shared-test' });
    await first.query('create table t (v int)');
    const failing = first.transaction(async (tx) => {
      await tx.query('insert into t values (1)');
      await sleep(20);
      throw new Error('rolled back');
    });
    await sleep(2);
    await second.query('insert into t values (2)');
    await expect(failing).rejects.toThrow('rolled back');
    expect((await second.query('select v from t')).rows).toEqual([{ v: 2 }]);
    await first.close();
    expect(db.closed).toBe(false);
    await second.close();
    expect(db.closed).toBe(true);
  });
});
