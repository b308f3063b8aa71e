import { PGlite } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGliteDialect } from '../../src/storage/pglite/pglite-dialect.js';

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
