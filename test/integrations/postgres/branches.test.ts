import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { branchStatus, branchStatusMetadata } from '../../../src/integrations/postgres/branch-status.js';
import { ensureBranch } from '../../../src/integrations/postgres/ensure-branch.js';
import { ensureSchema } from '../../../src/integrations/postgres/ensure-schema.js';
import { listReleases } from '../../../src/integrations/postgres/list-releases.js';
import { promoteSchema } from '../../../src/integrations/postgres/promote-schema.js';
import { qualified, quoteIdent } from '../../../src/integrations/postgres/quote-ident.js';
import { releaseName } from '../../../src/integrations/postgres/release-name.js';
import { tagRelease } from '../../../src/integrations/postgres/tag-release.js';
import type { Warehouse } from '../../../src/integrations/postgres/warehouse.js';
import { backends, dropSchemas, freshSchema } from './backends.js';


async function count(warehouse: Warehouse, schema: string, table: string): Promise<number> {
  const { rows } = await warehouse.query<{ n: number }>(`select count(*)::int as n from ${qualified(schema, table)}`);
  return rows[0]!.n;
}

async function fill(warehouse: Warehouse, schema: string, table: string, rows: number): Promise<void> {
  await warehouse.query(`drop table if exists ${qualified(schema, table)}`);
  await warehouse.query(`create table ${qualified(schema, table)} (id int primary key, label text not null)`);
  await warehouse.query(`insert into ${qualified(schema, table)} select g, 'row ' || g from generate_series(1, $1::int) g`, [rows]);
}

describe.each(backends)('branches on $name', ({ open }) => {
  let warehouse: Warehouse;
  const main = freshSchema('main');
  const dev = freshSchema('dev');
  // Release names are global to the database; a random day keeps parallel runs apart.
  const day = new Date(Date.UTC(2000 + Math.floor(Math.random() * 900), Math.floor(Math.random() * 12), 1 + Math.floor(Math.random() * 28)));
  const release = releaseName(day);

  beforeAll(async () => {
    warehouse = await open();
  });

  beforeEach(async () => {
    await dropSchemas(warehouse, [main, dev, release]);
    await ensureSchema(warehouse, main);
  });

  afterAll(async () => {
    await dropSchemas(warehouse, [main, dev, release]);
    await warehouse.close();
  });

  it('ensureBranch creates the branch as a copy of main (rows and keys), once', async () => {
    await fill(warehouse, main, 'entries', 4);
    await fill(warehouse, main, 'daily', 2);
    expect(await ensureBranch(warehouse, { branch: dev, from: main })).toEqual({
      branch: dev,
      created: true,
      tables: [
        { name: 'daily', rows: 2 },
        { name: 'entries', rows: 4 },
      ],
    });
    await expect(warehouse.query(`insert into ${qualified(dev, 'entries')} values (1, 'dup')`)).rejects.toMatchObject({ code: '23505' });
    await warehouse.query(`insert into ${qualified(dev, 'entries')} values (5, 'work in progress')`);
    expect(await ensureBranch(warehouse, { branch: dev, from: main })).toEqual({ branch: dev, created: false, tables: [] });
    expect(await count(warehouse, dev, 'entries')).toBe(5);
    expect(await count(warehouse, main, 'entries')).toBe(4);
  });

  it('ensureBranch starts an empty branch when main does not exist yet, and refuses a branch of itself', async () => {
    await dropSchemas(warehouse, [main]);
    expect(await ensureBranch(warehouse, { branch: dev, from: main })).toEqual({ branch: dev, created: true, tables: [] });
    await expect(ensureBranch(warehouse, { branch: dev, from: dev })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('promoting a branch keeps the grants the replaced tables of main had', async () => {
    await fill(warehouse, main, 'daily', 1);
    await warehouse.query(`grant select on ${qualified(main, 'daily')} to public`);
    await ensureSchema(warehouse, dev);
    await fill(warehouse, dev, 'daily', 2);
    await promoteSchema(warehouse, { from: dev, to: main });
    const { rows } = await warehouse.query<{ ok: boolean }>(`select has_table_privilege('public', $1, 'select') as ok`, [qualified(main, 'daily')]);
    expect(rows).toEqual([{ ok: true }]);
    expect(await count(warehouse, main, 'daily')).toBe(2);
    if (warehouse.database.startsWith('pglite:')) {
      // A private database: no scratch schema of this (or any) promotion is left behind.
      const { rows: leftovers } = await warehouse.query(`select nspname from pg_namespace where nspname like '\\_sluice\\_%'`);
      expect(leftovers).toEqual([]);
    }
  });

  it('branchStatus reports tables on one side only and row counts on each, as metadata too', async () => {
    await ensureSchema(warehouse, dev);
    await fill(warehouse, main, 'same', 3);
    await fill(warehouse, dev, 'same', 3);
    await fill(warehouse, main, 'grown', 3);
    await fill(warehouse, dev, 'grown', 5);
    await fill(warehouse, dev, 'new_table', 1);
    await fill(warehouse, main, 'retired', 2);
    const status = await branchStatus(warehouse, { branch: dev, main });
    expect(status).toEqual({
      branch: dev,
      main,
      onlyInBranch: ['new_table'],
      onlyInMain: ['retired'],
      differentCounts: ['grown'],
      tables: [
        { name: 'grown', branchRows: 5, mainRows: 3 },
        { name: 'new_table', branchRows: 1, mainRows: null },
        { name: 'retired', branchRows: null, mainRows: 2 },
        { name: 'same', branchRows: 3, mainRows: 3 },
      ],
    });
    expect(branchStatusMetadata(status)).toMatchObject({ differs: true, tables_only_in_branch: 1, tables_only_in_main: 1, tables_with_different_counts: 1 });
    await dropSchemas(warehouse, [dev]);
    await ensureBranch(warehouse, { branch: dev, from: main });
    expect(branchStatusMetadata(await branchStatus(warehouse, { branch: dev, main }))).toMatchObject({ differs: false });
  });

  it('tagRelease snapshots main as a read-only schema that is listed and queried like any schema', async () => {
    await fill(warehouse, main, 'daily', 3);
    await warehouse.query(`create table ${qualified(main, 'empty')} (x int)`);
    const tagged = await tagRelease(warehouse, { from: main, name: release, at: new Date('2024-10-15T06:00:00Z') });
    expect(tagged).toEqual({ name: release, from: main, createdAt: '2024-10-15T06:00:00.000Z', tables: [{ name: 'daily', rows: 3 }, { name: 'empty', rows: 0 }] });
    await fill(warehouse, main, 'daily', 10);
    expect(await count(warehouse, release, 'daily')).toBe(3);
    for (const write of [
      `insert into ${qualified(release, 'daily')} values (99, 'x')`,
      `update ${qualified(release, 'daily')} set label = 'x'`,
      `delete from ${qualified(release, 'daily')}`,
      `truncate ${qualified(release, 'daily')}`,
      `insert into ${qualified(release, 'empty')} values (1)`,
    ]) {
      await expect(warehouse.query(write), write).rejects.toMatchObject({ code: '25006' });
    }
    expect(await count(warehouse, release, 'daily')).toBe(3);
    const listed = (await listReleases(warehouse)).filter((r) => r.name === release);
    expect(listed).toEqual([{ name: release, from: main, createdAt: '2024-10-15T06:00:00.000Z', tables: 2 }]);
  });

  it('tagRelease refuses an existing release unless replacing, never replaces a schema it did not tag, and checks the name', async () => {
    await fill(warehouse, main, 'daily', 3);
    await tagRelease(warehouse, { from: main, name: release });
    await expect(tagRelease(warehouse, { from: main, name: release })).rejects.toMatchObject({ code: 'RELEASE_EXISTS' });
    await fill(warehouse, main, 'daily', 4);
    await tagRelease(warehouse, { from: main, name: release, ifExists: 'replace' });
    expect(await count(warehouse, release, 'daily')).toBe(4);
    await dropSchemas(warehouse, [release]);
    await warehouse.query(`create schema ${quoteIdent(release)}`);
    await expect(tagRelease(warehouse, { from: main, name: release, ifExists: 'replace' })).rejects.toMatchObject({ code: 'SCHEMA_EXISTS' });
    expect((await listReleases(warehouse)).map((r) => r.name)).not.toContain(release);
    for (const bad of ['main', 'release_', 'Release_2024', 'release_2024"; drop schema x; --']) {
      await expect(tagRelease(warehouse, { from: main, name: bad })).rejects.toMatchObject({ code: 'INVALID_RELEASE_NAME' });
    }
  });
});

describe('releaseName', () => {
  it('is release_YYYY_MM_DD of the UTC day', () => {
    expect(releaseName(new Date('2024-10-15T23:30:00-05:00'))).toBe('release_2024_10_16');
  });
});
