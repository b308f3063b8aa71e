import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSchema } from '../../../src/integrations/postgres/ensure-schema.js';
import { pgWarehouse } from '../../../src/integrations/postgres/pg-warehouse.js';
import { promoteSchema } from '../../../src/integrations/postgres/promote-schema.js';
import { qualified } from '../../../src/integrations/postgres/quote-ident.js';
import type { Warehouse } from '../../../src/integrations/postgres/warehouse.js';
import { backends, dropSchemas, freshSchema, TEST_DATABASE_URL } from './backends.js';


/** `schema.table` as `rows` rows all stamped with `version`. */
async function fill(warehouse: Warehouse, schema: string, table: string, rows: number, version: number): Promise<void> {
  await warehouse.query(`drop table if exists ${qualified(schema, table)}`);
  await warehouse.query(`create table ${qualified(schema, table)} (id int primary key, version int not null, payload text not null)`);
  await warehouse.query(`insert into ${qualified(schema, table)} select g, $2::int, md5(g::text) from generate_series(1, $1::int) g`, [rows, version]);
}

interface Observation {
  readonly left: number;
  readonly right: number;
  readonly leftVersion: number;
  readonly rightVersion: number;
  readonly startedAt: number;
  readonly endedAt: number;
}

/**
 * For each backend, a reader loops over main (two tables, counted and versioned in one statement)
 * while promoteSchema replaces both tables from dev: every observation must be all-old or all-new,
 * no query may fail, and readers must keep completing queries while the promotion copies data.
 */
describe.each(backends)('promoteSchema with a concurrent reader on $name', ({ name, open }) => {
  const dev = freshSchema('dev');
  const main = freshSchema('main');
  let writer: Warehouse;
  let reader: Warehouse;
  // Enough rows that copying takes a while (longer on a server, where the build is one transaction).
  const rowsFor = (version: number) => (name === 'postgres' ? 60_000 : 15_000) + version * 1000;

  beforeAll(async () => {
    writer = await open();
    // PGlite is one connection: the reader shares it (and its FIFO mutex). On a server, its own pool.
    reader = name === 'postgres' ? pgWarehouse({ connectionString: TEST_DATABASE_URL, max: 2 }) : writer;
    await ensureSchema(writer, dev);
  });

  afterAll(async () => {
    await dropSchemas(writer, [dev, main]);
    if (reader !== writer) await reader.close();
    await writer.close();
  });

  it('never shows a mix of old and new tables nor an error, and readers are not blocked for the copy', async () => {
    await fill(writer, dev, 'left_t', rowsFor(1), 1);
    await fill(writer, dev, 'right_t', rowsFor(1), 1);
    await promoteSchema(writer, { from: dev, to: main });
    const seen = new Set<string>();
    for (let version = 2; version <= 4; version++) {
      await fill(writer, dev, 'left_t', rowsFor(version), version);
      await fill(writer, dev, 'right_t', rowsFor(version), version);
      let reading = true;
      const observations: Observation[] = [];
      const errors: unknown[] = [];
      const readLoop = (async () => {
        while (reading) {
          const startedAt = performance.now();
          try {
            const { rows } = await reader.query<{ l: number; r: number; lv: number; rv: number }>(
              `select (select count(*) from ${qualified(main, 'left_t')})::int as l,
                      (select count(*) from ${qualified(main, 'right_t')})::int as r,
                      (select max(version) from ${qualified(main, 'left_t')}) as lv,
                      (select min(version) from ${qualified(main, 'right_t')}) as rv`,
            );
            const row = rows[0]!;
            observations.push({ left: row.l, right: row.r, leftVersion: row.lv, rightVersion: row.rv, startedAt, endedAt: performance.now() });
          } catch (error) {
            errors.push(error);
          }
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 20));
      const promotionStart = performance.now();
      await promoteSchema(writer, { from: dev, to: main });
      const promotionEnd = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 20));
      reading = false;
      await readLoop;

      expect(errors).toEqual([]);
      for (const o of observations) {
        const old = { left: rowsFor(version - 1), right: rowsFor(version - 1), leftVersion: version - 1, rightVersion: version - 1 };
        const fresh = { left: rowsFor(version), right: rowsFor(version), leftVersion: version, rightVersion: version };
        const state = { left: o.left, right: o.right, leftVersion: o.leftVersion, rightVersion: o.rightVersion };
        expect([old, fresh]).toContainEqual(state);
        seen.add(o.leftVersion === version ? 'new' : 'old');
      }
      const completedInside = observations.filter((o) => o.startedAt >= promotionStart && o.endedAt <= promotionEnd);
      // Readers kept going while the promotion built its copies: queries began and ended inside it
      // (on PGlite, between the table copies; on a server, throughout).
      expect(completedInside.length).toBeGreaterThanOrEqual(1);
    }
    expect([...seen].sort()).toEqual(['new', 'old']);
  });
});

describe('promoteSchema behind a long reader transaction on server Postgres', () => {
  const dev = freshSchema('dev');
  const main = freshSchema('main');
  let writer: Warehouse;
  let holder: Warehouse;
  let reader: Warehouse;

  beforeAll(async () => {
    writer = pgWarehouse({ connectionString: TEST_DATABASE_URL });
    holder = pgWarehouse({ connectionString: TEST_DATABASE_URL, max: 1 });
    reader = pgWarehouse({ connectionString: TEST_DATABASE_URL, max: 1 });
    await ensureSchema(writer, dev);
    await fill(writer, dev, 'left_t', 10, 1);
    await promoteSchema(writer, { from: dev, to: main });
    await fill(writer, dev, 'left_t', 20, 2);
  });

  afterAll(async () => {
    await dropSchemas(writer, [dev, main]);
    await Promise.all([writer.close(), holder.close(), reader.close()]);
  });

  const countMain = async () => (await reader.query<{ n: number }>(`select count(*)::int as n from ${qualified(main, 'left_t')}`)).rows[0]!.n;

  it('gives up after its attempts with PROMOTION_LOCK_TIMEOUT, leaving main as it was', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holding = holder.transaction(async (tx) => {
      await tx.query(`select count(*) from ${qualified(main, 'left_t')}`);
      locked();
      await held;
    });
    await isLocked;
    await expect(promoteSchema(writer, { from: dev, to: main, lockTimeoutMs: 20, swapAttempts: 3 })).rejects.toMatchObject({ code: 'PROMOTION_LOCK_TIMEOUT' });
    release();
    await holding;
    expect(await countMain()).toBe(10);
  });

  it('steps back while a reader holds main, so other readers keep reading; promotes once the holder is done', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holding = holder.transaction(async (tx) => {
      await tx.query(`select count(*) from ${qualified(main, 'left_t')}`);
      locked();
      await held;
    });
    await isLocked;
    let promoted = false;
    const promotion = promoteSchema(writer, { from: dev, to: main, lockTimeoutMs: 30 }).then(() => (promoted = true));
    // While the holder blocks the swap, another reader still gets answers (the old state).
    const answers: number[] = [];
    const until = performance.now() + 500;
    while (performance.now() < until) answers.push(await countMain());
    expect(promoted).toBe(false);
    expect(answers.length).toBeGreaterThanOrEqual(3);
    expect(new Set(answers)).toEqual(new Set([10]));
    release();
    await holding;
    await promotion;
    expect(await countMain()).toBe(20);
  });
});
