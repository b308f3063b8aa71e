import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPglite, preparedTemplatePath, templatePath, type PreparedTemplate } from '../../src/storage/pglite/create-pglite.js';


describe('new PGlite stores start from a cached initdb template', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'sluice-pglite-template-'));
    env = { SLUICE_CACHE_DIR: join(root, 'cache') };
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('makes the template from a pristine cluster, starts later stores from it, and opens an existing store as it is', async () => {
    const first = await createPglite(join(root, 'a'), env);
    await first.query('create table kept (x int)');
    await first.query('insert into kept values (1)');
    await first.close();
    const template = templatePath(env);
    expect(existsSync(template)).toBe(true);
    expect((await stat(template)).mode & 0o777).toBe(0o600);

    // A new store from the template: a working cluster without what the first store wrote.
    const second = await createPglite(join(root, 'b'), env);
    expect((await second.query<{ n: number }>(`select count(*)::int as n from pg_tables where tablename = 'kept'`)).rows[0]!.n).toBe(0);
    await second.query('create table own (y int)');
    await second.close();

    const again = await createPglite(join(root, 'a'), env);
    expect((await again.query<{ x: number }>('select x from kept')).rows).toEqual([{ x: 1 }]);
    await again.close();
    const memory = await createPglite(undefined, env);
    expect((await memory.query<{ one: number }>('select 1 as one')).rows).toEqual([{ one: 1 }]);
    await memory.close();
  });

  it('replaces a damaged template and still opens the store', async () => {
    await createPglite(join(root, 'c'), env).then((db) => db.close());
    await writeFile(templatePath(env), 'not a tar file');
    const db = await createPglite(join(root, 'd'), env);
    expect((await db.query<{ one: number }>('select 1 as one')).rows).toEqual([{ one: 1 }]);
    await db.close();
    expect((await stat(templatePath(env))).size).toBeGreaterThan(1_000_000);
  });

  it('starts a new store from the dump of a prepared one: prepare runs once per key, a failed prepare keeps no dump', async () => {
    let prepares = 0;
    const marker = (key: string): PreparedTemplate => ({
      key,
      prepare: async (pglite) => {
        prepares++;
        await pglite.query(`create table prepared_${key} (x int)`);
      },
    });
    const tables = async (db: Awaited<ReturnType<typeof createPglite>>) =>
      (await db.query<{ t: string }>(`select tablename as t from pg_tables where tablename like 'prepared_%' order by 1`)).rows.map((r) => r.t);

    const first = await createPglite(join(root, 'p1'), env, marker('k1'));
    expect(await tables(first)).toEqual(['prepared_k1']);
    await first.query('create table own (y int)');
    await first.close();
    expect(prepares).toBe(1);
    expect(existsSync(preparedTemplatePath('k1', env))).toBe(true);

    // Later stores, on disk or in memory, start prepared without preparing, and without what the first wrote.
    for (const dataDir of [join(root, 'p2'), undefined]) {
      const later = await createPglite(dataDir, env, marker('k1'));
      expect(await tables(later)).toEqual(['prepared_k1']);
      expect((await later.query<{ n: number }>(`select count(*)::int as n from pg_tables where tablename = 'own'`)).rows[0]!.n).toBe(0);
      await later.close();
    }
    expect(prepares).toBe(1);

    // Another key is another template.
    const other = await createPglite(join(root, 'p3'), env, marker('k2'));
    expect(await tables(other)).toEqual(['prepared_k2']);
    await other.close();
    expect(prepares).toBe(2);

    const failing: PreparedTemplate = { key: 'k3', prepare: () => Promise.reject(new Error('migration failed')) };
    const unprepared = await createPglite(join(root, 'p4'), env, failing);
    expect(await tables(unprepared)).toEqual([]);
    await unprepared.close();
    expect(existsSync(preparedTemplatePath('k3', env))).toBe(false);
  });
});
