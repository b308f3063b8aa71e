import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NessieIcebergTable } from '../../src/index.js';
import { REPO, sluice } from '../fixtures/cli.js';
import { dropSchema, freshSchema, TEST_DATABASE_URL, TEST_NESSIE_URI } from '../fixtures/services.js';
import { nessieError, TestRefs, uniqueRef } from '../integrations/nessie/nessie-test-refs.js';

// The example's daily pipeline through the real CLI on server Postgres (run store and warehouse),
// with SLUICE_NESSIE_URI set: a fresh, empty Nessie main of this file is promoted into and tagged
// on a clean day, and left alone on a day with bad rows.
describe('sluice materialize of the daily pipeline on server Postgres with a Nessie catalog', () => {
  const database = `sluice_nessie_${randomUUID().slice(0, 8)}`;
  const schema = freshSchema('sluice_nessie');
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  const dev = uniqueRef('dev');
  const prefix = `${uniqueRef('cli')}-release-`;
  let refs: TestRefs;
  let main: string;
  let dir: string;
  let env: Record<string, string>;

  /** Runs the daily_promotion schedule's selection for `day` with `config`; returns the exit code and summary. */
  async function daily(day: string, config: unknown): Promise<{ code: number | null; summary: { status: string; steps: Array<{ key: string; status: string }> }; output: string }> {
    const file = join(dir, `${day}.json`);
    await writeFile(file, JSON.stringify(config));
    const result = await sluice(['materialize', '--select', '+key:promote_dev_to_main+', '--partition', day, '--config', file, '--json'], { cwd: REPO, env });
    return { code: result.code, summary: JSON.parse(result.stdout) as never, output: result.stdout + result.stderr };
  }

  beforeAll(async () => {
    refs = await TestRefs.open();
    main = (await refs.emptyBranch('main')).name;
    refs.track('BRANCH', dev);
    refs.track('TAG', `${prefix}2024-10-14`);
    await admin.connect();
    await admin.query(`create database ${database}`);
    const warehouse = new URL(TEST_DATABASE_URL);
    warehouse.pathname = `/${database}`;
    dir = await mkdtemp(join(tmpdir(), 'sluice-nessie-cli-'));
    env = {
      SLUICE_DATABASE_URL: TEST_DATABASE_URL,
      SLUICE_DATABASE_SCHEMA: schema,
      SLUICE_WAREHOUSE_URL: warehouse.toString(),
      SLUICE_PROJECT: REPO,
      SLUICE_NESSIE_URI: TEST_NESSIE_URI,
      SLUICE_NESSIE_MAIN: main,
      SLUICE_NESSIE_DEV: dev,
      SLUICE_NESSIE_RELEASE_PREFIX: prefix,
    };
  }, 60_000);

  afterAll(async () => {
    await refs?.cleanup();
    await dropSchema(schema);
    await admin.query(`drop database if exists ${database} with (force)`).catch(() => {});
    await admin.end();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('promotes a clean day into Nessie main and tags it; a day with bad rows leaves main as it was, untagged', { timeout: 180_000 }, async () => {
    const start = await refs.head(main);
    const clean = await daily('2024-10-14', { tag_release: { date: '2024-10-14' } });
    expect(clean.code, clean.output).toBe(0);
    expect(clean.summary.status).toBe('SUCCESS');
    const promoted = await refs.head(main);
    expect(promoted).not.toBe(start);
    const daily_glucose = (await refs.client.getContent(main, ['glucose', 'daily_glucose'])).content as NessieIcebergTable;
    expect(daily_glucose).toMatchObject({ type: 'ICEBERG_TABLE', metadataLocation: expect.stringContaining('/glucose/daily_glucose/metadata/') });
    expect(await refs.client.getReference(`${prefix}2024-10-14`)).toMatchObject({ type: 'TAG', hash: promoted });
    expect(await refs.head(dev)).toBe(promoted);

    const bad = await daily('2024-10-15', { 'raw/entries': { badRowShare: 0.2 }, tag_release: { date: '2024-10-15' } });
    expect(bad.code, bad.output).toBe(1);
    const status = Object.fromEntries(bad.summary.steps.map((s) => [s.key, s.status]));
    expect(status).toMatchObject({ 'raw/entries#valid_readings': 'FAILED', promote_dev_to_main: 'SKIPPED', tag_release: 'SKIPPED' });
    expect(await refs.head(main)).toBe(promoted);
    expect(await refs.head(dev)).not.toBe(promoted);
    expect((await nessieError(refs.client.getReference(`${prefix}2024-10-15`))).code).toBe('NESSIE_REFERENCE_NOT_FOUND');
    expect((await refs.client.getContent(main, ['glucose', 'daily_glucose'])).content).toEqual(daily_glucose);
  });
});
