import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** The services a benchmark uses: given by env, never started by the bench itself. */
export const DATABASE_URL = process.env.SLUICE_BENCH_DATABASE_URL ?? process.env.SLUICE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.SLUICE_BENCH_REDIS_URL ?? process.env.SLUICE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function freshName(prefix: string): string {
  return `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
}

export function freshRedisPrefix(): string {
  return `{bench-${randomUUID().slice(0, 8)}}`;
}

export async function withPg<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function dropSchema(schema: string): Promise<void> {
  await withPg((c) => c.query(`drop schema if exists "${schema}" cascade`)).catch(() => {});
}
