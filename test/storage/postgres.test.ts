import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { isSluiceError } from '../../src/core/errors.js';
import { openInstance } from '../../src/storage/index.js';
import { instanceContract } from './instance-contract.js';

const url = process.env.SLUICE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `sluice_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;

async function openTestInstance() {
  try {
    return await openInstance({ kind: 'postgres', connectionString: url, schema });
  } catch (error) {
    const reason = isSluiceError(error) ? error.message : String(error);
    throw new Error(`the Postgres storage tests need a server: set SLUICE_TEST_DATABASE_URL or run \`docker compose up -d postgres\` (${reason})`, {
      cause: error,
    });
  }
}

async function withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

instanceContract('postgres', openTestInstance);

// File level, so it runs whichever tests were selected. A server that is down has nothing to drop.
afterAll(async () => {
  await withClient((client) => client.query(`drop schema if exists "${schema}" cascade`)).catch(() => {});
});

describe('Postgres store', () => {

  it('keeps every table in the schema it was opened with, and reopening migrates nothing twice', async () => {
    const instance = await openTestInstance();
    expect(instance.dialect).toBe('postgres');
    await instance.close();
    const tables = await withClient(async (client) => {
      const result = await client.query<{ table_name: string }>('select table_name from information_schema.tables where table_schema = $1 order by 1', [schema]);
      return result.rows.map((row) => row.table_name);
    });
    expect(tables).toEqual(['check_results', 'events', 'kysely_migration', 'kysely_migration_lock', 'materializations', 'run_configs', 'run_steps', 'runs']);
  });

  it('reports an unreachable server as STORAGE_UNAVAILABLE naming host:port, never the password', async () => {
    const error = await openInstance({ kind: 'postgres', connectionString: 'postgres://sluice:hunter2@127.0.0.1:1/runs' }).catch((e: unknown) => e);
    expect(isSluiceError(error) && error.code).toBe('STORAGE_UNAVAILABLE');
    const message = (error as Error).message;
    expect(message).toContain('127.0.0.1:1');
    expect(message).toContain('docker compose up -d postgres');
    expect(message).not.toContain('hunter2');
  });

  it('rejects a schema name that is not a plain identifier', async () => {
    await expect(openInstance({ kind: 'postgres', connectionString: url, schema: 'bad"name' })).rejects.toMatchObject({ code: 'INVALID_STORAGE_SCHEMA' });
  });
});
