import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresWarehouse } from '../../../src/integrations/postgres/postgres-warehouse.js';
import { publishTarget } from '../../../src/integrations/postgres/publish-target.js';
import { describePostgresUrl } from '../../../src/integrations/postgres/pg-warehouse.js';
import { TEST_DATABASE_URL } from './backends.js';

// Opening PGlite takes seconds, more when test files run in parallel.

describe('postgresWarehouse and publishTarget resources', () => {
  let project: string;

  beforeAll(async () => {
    project = await mkdtemp(join(tmpdir(), 'sluice-resources-'));
  });

  afterAll(async () => {
    await rm(project, { recursive: true, force: true });
  });

  it('are frozen definitions named warehouse and publish that declare their secret env vars', () => {
    expect(Object.isFrozen(postgresWarehouse)).toBe(true);
    expect(postgresWarehouse).toMatchObject({ kind: 'resource', name: 'warehouse' });
    expect(postgresWarehouse.secretEnv).toEqual(['SLUICE_WAREHOUSE_URL', 'SLUICE_PUBLISH_URL']);
    expect(publishTarget).toMatchObject({ kind: 'resource', name: 'publish' });
    expect(publishTarget.secretEnv).toContain('SLUICE_PUBLISH_URL');
  });

  it('throws WAREHOUSE_NOT_CONFIGURED when neither a URL nor a project is set', async () => {
    await expect(postgresWarehouse.create({})).rejects.toMatchObject({
      code: 'WAREHOUSE_NOT_CONFIGURED',
      message: expect.stringContaining('SLUICE_WAREHOUSE_URL'),
    });
    await expect(publishTarget.create({ SLUICE_WAREHOUSE_URL: '' })).rejects.toMatchObject({ data: { resource: 'publish' } });
  });

  it('persists the embedded warehouse in <project>/.sluice/warehouse across close and reopen', async () => {
    const env = { SLUICE_PROJECT: project };
    const first = await postgresWarehouse.create(env);
    expect(first.database).toBe(`pglite:${join(project, '.sluice', 'warehouse')}`);
    await first.query('create table kept (v int)');
    await first.query('insert into kept values (7)');
    await postgresWarehouse.close!(first);
    const second = await postgresWarehouse.create(env);
    expect((await second.query('select v from kept')).rows).toEqual([{ v: 7 }]);
    await postgresWarehouse.close!(second);
  });

  it('shares one PGlite client between warehouse and publish, closing it with the last handle', async () => {
    const env = { SLUICE_PROJECT: project };
    const [warehouse, publish] = await Promise.all([postgresWarehouse.create(env), publishTarget.create(env)]);
    expect(publish.database).toBe(warehouse.database);
    await warehouse.query('create table if not exists shared (v int)');
    await publish.query('insert into shared values (1)');
    await postgresWarehouse.close!(warehouse);
    await postgresWarehouse.close!(warehouse); // idempotent: must not release the publish handle's reference
    await expect(warehouse.query('select 1')).rejects.toMatchObject({ code: 'WAREHOUSE_CLOSED' });
    expect((await publish.query('select count(*)::int as n from shared')).rows).toEqual([{ n: 1 }]);
    await publishTarget.close!(publish);
    // Both handles closed: the directory can be opened again.
    const again = await publishTarget.create(env);
    expect((await again.query('select count(*)::int as n from shared')).rows).toEqual([{ n: 1 }]);
    await publishTarget.close!(again);
  });

  it('uses server Postgres when SLUICE_WAREHOUSE_URL is set, and SLUICE_PUBLISH_URL for publish', async () => {
    const warehouse = await postgresWarehouse.create({ SLUICE_WAREHOUSE_URL: TEST_DATABASE_URL, SLUICE_PROJECT: project });
    const publish = await publishTarget.create({ SLUICE_PUBLISH_URL: TEST_DATABASE_URL, SLUICE_PROJECT: project });
    expect(warehouse.database).toBe(describePostgresUrl(TEST_DATABASE_URL));
    expect(publish.database).toBe(warehouse.database);
    expect((await warehouse.query<{ v: string }>('select version() as v')).rows[0]!.v).toMatch(/^PostgreSQL/);
    expect((await publish.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
    await Promise.all([postgresWarehouse.close!(warehouse), publishTarget.close!(publish)]);
  });

  it('never puts the password in the database identity', () => {
    expect(describePostgresUrl('postgres://app:s3cret@db.example:6543/wh?sslmode=require')).toBe('postgres://app@db.example:6543/wh');
    expect(describePostgresUrl('host=db password=s3cret')).toMatch(/^postgres:[0-9a-f]{16}$/);
  });
});
