import { PGlite } from '@electric-sql/pglite';
import { CompiledQuery, Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGliteDialect } from '../../src/storage/pglite/pglite-dialect.js';
import { PREPARED_MARKER } from '../../src/storage/postgres/preparing-pool.js';

interface Db {
  items: { name: string };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PGliteDialect', () => {
  let db: Kysely<Db>;
  beforeAll(async () => {
    db = new Kysely<Db>({ dialect: new PGliteDialect({ pglite: () => PGlite.create() }) });
    await db.schema.createTable('items').addColumn('name', 'text', (c) => c.primaryKey()).execute();
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('runs marked statements as named prepared statements: typed parameters and results, errors leave the connection usable, rollbacks hold', async () => {
    const insert = CompiledQuery.raw(`${PREPARED_MARKER}\ninsert into items (name) select $1::text || n from unnest($2::integer[]) as n returning name`, ['p', [1, 2]]);
    expect((await db.executeQuery(insert)).rows).toEqual([{ name: 'p1' }, { name: 'p2' }]);
    const divide = (d: number) => CompiledQuery.raw(`${PREPARED_MARKER}\nselect 10 / $1::integer as q, $2::timestamptz as at, $3::jsonb as j, $4::boolean as b`, [d, new Date('2030-01-01T00:00:00Z'), '{"a":[1]}', true]);
    await expect(db.executeQuery(divide(0))).rejects.toThrow('division by zero');
    expect((await db.executeQuery(divide(5))).rows).toEqual([{ q: 2, at: new Date('2030-01-01T00:00:00Z'), j: { a: [1] }, b: true }]);
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.executeQuery(CompiledQuery.raw(insert.sql, ['r', [1]]));
        await trx.executeQuery(divide(0));
      }),
    ).rejects.toThrow('division by zero');
    const names = await db.selectFrom('items').select('name').where('name', 'like', 'p%').orderBy('name').execute();
    expect(names.map((r) => r.name)).toEqual(['p1', 'p2']);
    expect(await db.selectFrom('items').select('name').where('name', '=', 'r1').execute()).toEqual([]);
    // Parsed once each, by name.
    const prepared = await sql<{ statement: string }>`select statement from pg_prepared_statements order by name`.execute(db);
    expect(prepared.rows.map((r) => r.statement.split('\n')[1]!.slice(0, 18))).toEqual(['insert into items ', 'select 10 / $1::in']);
  });

  it('reports affected rows of updates and deletes', async () => {
    await db.insertInto('items').values([{ name: 'u1' }, { name: 'u2' }]).execute();
    const updated = await db.updateTable('items').set({ name: sql`name || '!'` }).where('name', 'in', ['u1', 'u2']).executeTakeFirst();
    expect(updated.numUpdatedRows).toBe(2n);
    const deleted = await db.deleteFrom('items').where('name', 'like', 'u%').executeTakeFirst();
    expect(deleted.numDeletedRows).toBe(2n);
  });

  it('serializes transactions on the single connection: a rollback never takes another caller\'s writes', async () => {
    const failing = db.transaction().execute(async (trx) => {
      await trx.insertInto('items').values({ name: 'rolled-back' }).execute();
      await pause(20);
      throw new Error('abort');
    });
    const committing = (async () => {
      await pause(5);
      await db.insertInto('items').values({ name: 'committed' }).execute();
    })();
    await expect(failing).rejects.toThrow('abort');
    await committing;
    const names = (await db.selectFrom('items').select('name').where('name', 'in', ['rolled-back', 'committed']).execute()).map((row) => row.name);
    expect(names).toEqual(['committed']);
  });

  it('streams a result in chunks', async () => {
    await db.insertInto('items').values(['s1', 's2', 's3'].map((name) => ({ name }))).execute();
    const chunks: string[][] = [];
    for await (const chunk of db.selectFrom('items').select('name').where('name', 'like', 's%').orderBy('name').stream(2)) chunks.push([chunk.name]);
    expect(chunks.flat()).toEqual(['s1', 's2', 's3']);
  });
});
